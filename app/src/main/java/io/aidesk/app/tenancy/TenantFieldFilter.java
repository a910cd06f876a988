package io.aidesk.app.tenancy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.aidesk.app.problems.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses any request that tries to name its tenant (tenant_id, tenantId, …) in the query string, a form field or
 * anywhere in a JSON body: the tenant comes from the token only. It also caps JSON bodies.
 */
@Component
public class TenantFieldFilter extends OncePerRequestFilter {
    private final ProblemWriter problems;
    private final JsonFactory jsonFactory = new JsonFactory();
    private final int maxJsonBytes;

    public TenantFieldFilter(ProblemWriter problems, @Value("${aidesk.http.max-json-bytes:1048576}") int maxJsonBytes) {
        this.problems = problems;
        this.maxJsonBytes = maxJsonBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> named = inQueryString(request.getQueryString());
        if (named.isEmpty() && isForm(request)) {
            try {
                named = Collections.list(request.getParameterNames()).stream().filter(TenantFieldFilter::namesTenant)
                        .findFirst();
            } catch (RuntimeException unreadable) {
                // an oversized or broken multipart body: Spring MVC answers it with its own precise problem
                named = Optional.empty();
            }
        }
        if (named.isPresent()) {
            refuse(request, response, "the query string or form names '" + named.get() + "'");
            return;
        }
        if (!isJson(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxJsonBytes + 1);
        if (body.length > maxJsonBytes) {
            problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "Body too large",
                    "a JSON body may be at most " + maxJsonBytes + " bytes");
            return;
        }
        Optional<String> field = inJson(body);
        if (field.isPresent()) {
            refuse(request, response, "the JSON body has a field '" + field.get() + "'");
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String where) throws IOException {
        problems.write(request, response, HttpStatus.BAD_REQUEST, "Tenant is taken from the token",
                where + "; AI Desk takes the tenant from your token only, so remove it");
    }

    /** tenant_id, tenantId, TENANT-ID, filters[tenant_id] … all name the tenant. */
    static boolean namesTenant(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").contains("tenantid");
    }

    private static Optional<String> inQueryString(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            String raw = pair.split("=", 2)[0];
            String name;
            try {
                name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                name = raw;
            }
            if (namesTenant(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Malformed JSON passes on, so the controller answers it with its own precise 400. */
    private Optional<String> inJson(byte[] body) throws IOException {
        try (JsonParser parser = jsonFactory.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && namesTenant(parser.currentName())) {
                    return Optional.of(parser.currentName());
                }
            }
        } catch (JsonProcessingException malformed) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        try {
            MediaType media = MediaType.parseMediaType(type);
            // */* is compatible with JSON but names no type: Spring MVC answers it with a 415
            return media.isConcrete() && (media.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || media.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && (type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)
                || type.startsWith(MediaType.MULTIPART_FORM_DATA_VALUE));
    }

    /** Replays the body the filter already read. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous body only");
                }

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
