package io.aidesk.app.web;

import io.aidesk.api.Text;
import io.aidesk.app.problems.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Refuses a query string whose names or values are not text: bad percent-encoding, bytes that are not UTF-8, a NUL or
 * half a surrogate pair. Tomcat would drop such a parameter silently (or hand a NUL to the database); this names it.
 * It runs before authentication, as Tomcat's own refusal of a malformed path does.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class QueryTextFilter extends OncePerRequestFilter {
    private final ProblemWriter problems;

    public QueryTextFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    private record Refusal(String field, String detail) {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Refusal> refusal = check(request.getQueryString());
        if (refusal.isPresent()) {
            problems.write(request, response, HttpStatus.BAD_REQUEST, "Invalid query parameter: " + refusal.get().field(),
                    refusal.get().detail(), refusal.get().field());
            return;
        }
        chain.doFilter(request, response);
    }

    static Optional<Refusal> check(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            String rawName = parts[0];
            Optional<String> name = decode(rawName);
            if (name.isEmpty()) {
                return Optional.of(new Refusal(rawName, "the parameter name '" + rawName
                        + "' is not valid percent-encoded UTF-8"));
            }
            Optional<String> unsafe = Text.unsafe(name.get());
            if (unsafe.isPresent()) {
                return Optional.of(new Refusal(rawName, "the parameter name " + unsafe.get()));
            }
            if (parts.length == 2) {
                Optional<String> value = decode(parts[1]);
                if (value.isEmpty()) {
                    return Optional.of(new Refusal(name.get(), "'" + parts[1] + "' is not valid percent-encoded UTF-8"));
                }
                unsafe = Text.unsafe(value.get());
                if (unsafe.isPresent()) {
                    return Optional.of(new Refusal(name.get(), "the value " + unsafe.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** Form decoding (+ is a space) with a decoder that reports malformed bytes instead of replacing them. */
    private static Optional<String> decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return Optional.empty();
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
