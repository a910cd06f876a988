package io.aidesk.api.knowledge;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The user name and password a URL source was added with ({@code https://user:pass@host/…}): taken off the URL when
 * the source is added, kept as the source's secret, sent as HTTP Basic auth to the source's origin only, never shown.
 */
public record UrlCredentials(String username, String password) {
    public static final String MASK = "***";
    // a userinfo in text that is not a valid URI: scheme://user:pass@ (the password part excludes '/', so it is bounded)
    private static final Pattern LOOSE_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/?#@:\\s]*)(?::[^/?#@\\s]*)?@");

    public UrlCredentials {
        Objects.requireNonNull(username, "username");
        password = password == null ? "" : password;
    }

    /**
     * @param url         the URL without userinfo
     * @param credentials what its userinfo said; null when it had none
     */
    public record Split(String url, UrlCredentials credentials) {
        @Override
        public String toString() {
            return "Split[" + url + (credentials == null ? "" : ", " + credentials) + "]";
        }
    }

    /** Takes the userinfo off a URL; text that is not a URL comes back as it was (its validation reports it, masked). */
    public static Split split(String url) {
        if (url == null) {
            return new Split(null, null);
        }
        String text = url.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return new Split(text, null);
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || uri.getRawAuthority() == null) {
            return new Split(text, null);
        }
        int colon = userInfo.indexOf(':');
        String username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        int at = text.indexOf("//" + userInfo + "@");
        String clean = at < 0 ? text : text.substring(0, at + 2) + text.substring(at + 3 + userInfo.length());
        return new Split(clean, username.isEmpty() && password.isEmpty() ? null : new UrlCredentials(username, password));
    }

    /** The URL as a reader may see it: no userinfo at all. */
    public static String withoutUserInfo(String url) {
        return url == null ? null : LOOSE_USERINFO.matcher(split(url).url()).replaceAll("$1");
    }

    /** Text naming a URL as a reader may see it: {@code https://user:***@host/…}, the password never. */
    public static String masked(String text) {
        return text == null ? null : LOOSE_USERINFO.matcher(text).replaceAll("$1$2:" + MASK + "@");
    }

    @Override
    public String toString() {
        return "UrlCredentials[" + username + ":" + MASK + "]";
    }

    /** Percent-decoding as URIs do it ('+' stays '+'); a malformed escape stays as written. */
    private static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            if (raw.charAt(i) == '%' && i + 2 < raw.length() && Character.digit(raw.charAt(i + 1), 16) >= 0
                    && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 3;
            } else {
                int end = i + Character.charCount(raw.codePointAt(i));
                byte[] utf8 = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
