package io.aidesk.ingestion.parse;

import io.aidesk.ingestion.TestFiles;
import io.aidesk.ingestion.parse.DocumentParser.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class DocumentParserTest {

    private static ParsedDocument parse(byte[] bytes, String name) {
        return DocumentParser.parse(bytes, DocumentParser.kindOf(name).orElseThrow(), "file:" + name, name);
    }

    @Test
    void readsPdfTextPageByPage() {
        byte[] pdf = TestFiles.pdf(List.of(
                List.of("Acme price list 2026", "", "Drain cleaning from $150."),
                List.of("Emergency call-out fee: $95 after 6pm.")));

        ParsedDocument document = parse(pdf, "prices.pdf");

        assertThat(document.blocks()).anySatisfy(block -> {
            assertThat(block.text()).contains("Emergency call-out fee: $95 after 6pm.");
            assertThat(block.page()).isEqualTo(2);
        });
        assertThat(document.blocks()).anySatisfy(block -> {
            assertThat(block.text()).contains("Drain cleaning from $150.");
            assertThat(block.page()).isEqualTo(1);
        });
    }

    @Test
    void readsDocxHeadingsParagraphsAndTables() {
        byte[] docx = TestFiles.docx("Home policy", List.of(
                new String[]{"Heading1", "Claims"},
                new String[]{null, "Report a claim within 30 days."},
                new String[]{"Heading2", "Water damage"},
                new String[]{null, "Sudden leaks are covered; slow seepage is not."}),
                List.of(List.of("Plan", "Deductible"), List.of("Basic", "$500")));

        ParsedDocument document = parse(docx, "policy.docx");

        assertThat(document.title()).isEqualTo("Home policy");
        assertThat(document.blocks()).anySatisfy(block -> {
            assertThat(block.text()).isEqualTo("Sudden leaks are covered; slow seepage is not.");
            assertThat(block.headings()).containsExactly("Claims", "Water damage");
        });
        assertThat(document.blocks()).anySatisfy(block -> assertThat(block.text()).isEqualTo("Plan | Deductible\nBasic | $500"));
    }

    @Test
    void readsWord97DocHeadingsAndParagraphs() throws Exception {
        byte[] doc;
        try (var in = getClass().getResourceAsStream("/files/globex-policy.doc")) {
            doc = in.readAllBytes();
        }

        ParsedDocument document = parse(doc, "globex-policy.doc");

        assertThat(document.blocks()).anySatisfy(block -> {
            assertThat(block.text()).isEqualTo("Sudden leaks are covered; slow seepage is not.");
            assertThat(block.headings()).containsExactly("Claims", "Water damage");
        });
        assertThat(document.blocks()).anySatisfy(block -> {
            assertThat(block.text()).isEqualTo("Report a claim within 30 days of the damage.");
            assertThat(block.headings()).containsExactly("Claims");
        });
    }

    @Test
    void readsTextMarkdownAndHtml() {
        ParsedDocument text = parse("Opening hours\n\nMonday to Friday\n8am to 6pm\n".getBytes(StandardCharsets.UTF_8), "hours.txt");
        assertThat(text.blocks()).extracting(ParsedDocument.Block::text).containsExactly("Opening hours", "Monday to Friday 8am to 6pm");

        ParsedDocument markdown = parse("""
                # Billing
                ## Refunds
                Refunds take **5 days**, see [our policy](https://x.test/p).
                """.getBytes(StandardCharsets.UTF_8), "billing.md");
        assertThat(markdown.title()).isEqualTo("Billing");
        assertThat(markdown.blocks()).singleElement().satisfies(block -> {
            assertThat(block.text()).isEqualTo("Refunds take 5 days, see our policy.");
            assertThat(block.headings()).containsExactly("Billing", "Refunds");
        });

        ParsedDocument html = parse("<html><body><nav>Menu</nav><h1>FAQ</h1><p>Yes, we do weekends.</p></body></html>"
                .getBytes(StandardCharsets.UTF_8), "faq.html");
        assertThat(html.blocks()).extracting(ParsedDocument.Block::text).containsExactly("Yes, we do weekends.");
    }

    @Test
    void refusesWhatCannotBeIndexedWithAReason() {
        byte[] pdf = TestFiles.pdf(List.of(List.of("hello")));
        assertThatThrownBy(() -> parse(new byte[0], "empty.pdf")).hasMessage("the file is empty");
        assertThatThrownBy(() -> parse(Arrays.copyOf(pdf, pdf.length / 3), "broken.pdf"))
                .isInstanceOf(UnreadableDocumentException.class).hasMessageContaining("damaged");
        assertThatThrownBy(() -> parse("just text".getBytes(StandardCharsets.UTF_8), "fake.pdf"))
                .hasMessageContaining("not a PDF");
        assertThatThrownBy(() -> parse(TestFiles.encryptedPdf(List.of(List.of("secret")), "pw"), "locked.pdf"))
                .hasMessageContaining("password-protected");
        assertThatThrownBy(() -> parse(pdf, "renamed.docx")).hasMessageContaining("not a DOCX");
        assertThatThrownBy(() -> parse(pdf, "renamed.doc")).hasMessageContaining("not a Word 97-2003");
        assertThatThrownBy(() -> parse(pdf, "binary.txt")).hasMessageContaining("not text");
        assertThatThrownBy(() -> parse("   \n\n  ".getBytes(StandardCharsets.UTF_8), "blank.txt"))
                .hasMessageContaining("no text");
        assertThat(DocumentParser.kindOf("setup.exe")).isEmpty();
    }

    /** Inputs that made the markdown reading quadratic (40,000 '[' took 34 s); the bound only guards against a hang. */
    @Test
    void readsPathologicalMarkdownInOnePass() {
        String brackets = "[".repeat(40_000);
        String openLinks = "[a](".repeat(20_000);
        String spacedHeading = "# a" + " ".repeat(20_000) + "b";

        ParsedDocument document = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(
                (brackets + "\n\n" + openLinks + "\n\n" + spacedHeading + "\n\nThe end.").getBytes(StandardCharsets.UTF_8),
                "brackets.md"));

        assertThat(document.blocks()).extracting(ParsedDocument.Block::text)
                .containsExactly(brackets, openLinks.strip(), "The end.");
        assertThat(document.title()).isEqualTo("a" + " ".repeat(20_000) + "b");
    }

    @Test
    void readsOrdinaryMarkdownLinksImagesAndHeadings() {
        ParsedDocument markdown = parse("""
                # Plumbing FAQ #
                Intro with an ![diagram](img/pipe.png) and [two](a) [links](b "title").
                A [bracket] that is not a link, a [[wiki]] and [nested [text]](c).

                ### C#
                Call `support` or _email_ us; costs (in USD) vary.
                """.getBytes(StandardCharsets.UTF_8), "faq.md");

        assertThat(markdown.title()).isEqualTo("Plumbing FAQ");
        assertThat(markdown.blocks()).extracting(ParsedDocument.Block::text).containsExactly(
                "Intro with an diagram and two links. A [bracket] that is not a link, a [[wiki]] and [nested [text]](c).",
                "Call support or email us; costs (in USD) vary.");
        assertThat(markdown.blocks().get(1).headings()).containsExactly("Plumbing FAQ", "C#");
    }
}
