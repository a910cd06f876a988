package io.aidesk.ingestion.parse;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlCleanerTest {
    private static final String PAGE = """
            <html><head><title>Water heaters | Acme Plumbing</title><style>.x{color:red}</style>
            <script>var tracking = 'secret-script-text';</script></head>
            <body>
              <header class="site-header"><a href="/">Acme</a> Call us now</header>
              <nav><ul><li><a href="/help">Help</a></li><li><a href="/prices">Prices</a></li></ul></nav>
              <div id="cookie-banner">We use cookies. Accept all?</div>
              <main>
                <h1>Water heaters</h1>
                <p>We install gas and electric water heaters.</p>
                <h2>Prices</h2>
                <p>A standard replacement costs <b>$900 to $1,500</b>.</p>
                <table><tr><th>Service</th><th>Price</th></tr><tr><td>40 gallon</td><td>$900</td></tr></table>
                <h3>What is included</h3>
                <ul><li>Removal of the old tank</li><li>Permits</li></ul>
                <h2>Hours</h2><p>Monday to Friday, 8am to 6pm.</p>
                <aside class="sidebar">Related: drains</aside>
              </main>
              <footer>© Acme Plumbing · Privacy</footer>
            </body></html>
            """;

    private final ParsedDocument document = HtmlCleaner.clean(Jsoup.parse(PAGE, "https://acme.test/help/water"),
            "https://acme.test/help/water");

    private String text() {
        return String.join("\n", document.blocks().stream().map(ParsedDocument.Block::text).toList());
    }

    @Test
    void dropsNavigationHeadersFootersScriptsStylesAndCookieBanners() {
        assertThat(text()).doesNotContain("Call us now", "Help", "cookies", "secret-script-text", "color:red", "Privacy",
                "Related: drains");
    }

    @Test
    void keepsEveryParagraphWithItsHeadingPath() {
        assertThat(document.title()).isEqualTo("Water heaters | Acme Plumbing");
        assertThat(document.blocks()).anySatisfy(block -> {
            assertThat(block.text()).isEqualTo("A standard replacement costs $900 to $1,500.");
            assertThat(block.headings()).containsExactly("Water heaters", "Prices");
        });
        assertThat(document.blocks()).anySatisfy(block -> {
            assertThat(block.text()).isEqualTo("Monday to Friday, 8am to 6pm.");
            assertThat(block.headings()).as("h2 Hours replaces h2 Prices and drops its h3").containsExactly("Water heaters", "Hours");
        });
    }

    @Test
    void keepsTablesAndListsReadable() {
        assertThat(document.blocks()).anySatisfy(block -> assertThat(block.text())
                .isEqualTo("Service | Price\n40 gallon | $900"));
        assertThat(document.blocks()).filteredOn(block -> block.text().startsWith("- "))
                .extracting(ParsedDocument.Block::text)
                .containsExactly("- Removal of the old tank", "- Permits");
        assertThat(document.blocks()).filteredOn(block -> block.text().equals("- Permits"))
                .allSatisfy(block -> assertThat(block.headings()).isEqualTo(List.of("Water heaters", "Prices", "What is included")));
    }

    @Test
    void aDefinitionListKeepsEachTermInFrontOfItsDefinition() {
        String manual = """
                <html><head><title>git-commit(1)</title></head><body><main><h2>OPTIONS</h2><dl>
                <dt class="hdlist1">-a</dt><dt class="hdlist1">--all</dt>
                <dd><p>Tell the command to stage files that have been modified.</p><p>New files are not affected.</p></dd>
                <dt>--amend</dt><dd><p>Replace the tip of the current branch.</p></dd>
                <dt>--dry-run</dt></dl></main></body></html>
                """;
        List<String> blocks = HtmlCleaner.clean(Jsoup.parse(manual, "https://git.test/git-commit.html"),
                "https://git.test/git-commit.html").blocks().stream().map(ParsedDocument.Block::text).toList();

        assertThat(blocks).containsExactly("-a, --all: Tell the command to stage files that have been modified.",
                "New files are not affected.", "--amend: Replace the tip of the current branch.", "--dry-run");
    }
}
