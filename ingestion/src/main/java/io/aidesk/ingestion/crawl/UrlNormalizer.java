package io.aidesk.ingestion.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** One spelling per page: lower-case scheme and host, no default port, no fragment, no trailing slash, no tracking. */
public final class UrlNormalizer {
    private static final Pattern TRACKING = Pattern.compile(
            "(?i)utm_[a-z_]+|gclid|dclid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|ref_src");

    private UrlNormalizer() {
    }

    public static Optional<URI> normalize(String href, URI base) {
        if (href == null || href.isBlank()) {
            return Optional.empty();
        }
        try {
            URI resolved = base == null ? new URI(href.strip()) : base.resolve(href.strip().replace(" ", "%20"));
            String scheme = resolved.getScheme() == null ? null : resolved.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || resolved.getHost() == null) {
                return Optional.empty();
            }
            int port = resolved.getPort();
            if (("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443)) {
                port = -1;
            }
            String path = resolved.normalize().getRawPath();
            if (path == null || path.isEmpty()) {
                path = "/";
            }
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String query = query(resolved.getRawQuery());
            StringBuilder url = new StringBuilder(scheme).append("://").append(resolved.getHost().toLowerCase(Locale.ROOT));
            if (port != -1) {
                url.append(':').append(port);
            }
            url.append(path);
            if (query != null) {
                url.append('?').append(query);
            }
            return Optional.of(new URI(url.toString()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String pair : raw.split("&")) {
            String name = pair.split("=", 2)[0];
            if (!pair.isEmpty() && !TRACKING.matcher(name).matches()) {
                kept.add(pair);
            }
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }
}
