package io.aidesk.app;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The UI's files as a browser gets them: the hashed bundle cached for good and gzipped, the page read again. */
class UiAssetsTest extends ApiTest {

    @Test
    void theHashedBundleIsCachedAndCompressedTheIndexIsNotCachedAndThereIsAFavicon() {
        Response index = call("GET", "/settings/ai-desk", null, null, Map.of());
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(index.body()).contains("rel=\"icon\"");
        Matcher script = Pattern.compile("/assets/[^\"]+\\.js").matcher(index.body());
        assertThat(script.find()).as(index.body()).isTrue();

        Response bundle = call("GET", script.group(), null, null, Map.of("Accept-Encoding", "gzip"));
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.headers().firstValue("Cache-Control").orElse(""))
                .contains("max-age=31536000").contains("immutable").doesNotContain("no-store");
        assertThat(bundle.headers().firstValue("Content-Encoding")).hasValue("gzip");

        Response icon = call("GET", "/favicon.svg", null, null, Map.of());
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.contentType()).startsWith("image/svg+xml");
    }
}
