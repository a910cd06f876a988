package io.aidesk.ingestion.parse;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.hwpf.HWPFDocument;
import org.apache.poi.hwpf.usermodel.Paragraph;
import org.apache.poi.hwpf.usermodel.Range;
import org.apache.poi.openxml4j.exceptions.OLE2NotOfficeXmlFileException;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.jsoup.Jsoup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PDF (with page numbers), DOCX, DOC, TXT, Markdown and HTML into blocks with their heading paths. */
public final class DocumentParser {
    public enum Kind { PDF, DOCX, DOC, TXT, MD, HTML }

    // link text and target exclude their own openers: a run of '[' or '(' with no closer fails at once, not after
    // scanning to the end of the paragraph from every opener (quadratic on "[[[[…")
    private static final Pattern MD_LINK = Pattern.compile("!?\\[([^\\[\\]]*)]\\([^()]*\\)");
    private static final Pattern WORD_HEADING = Pattern.compile("(?i)heading\\s*([1-6])|title");

    private DocumentParser() {
    }

    /** The kind a file name announces, or empty when AI Desk does not read it. */
    public static Optional<Kind> kindOf(String fileName) {
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".pdf")) {
            return Optional.of(Kind.PDF);
        } else if (name.endsWith(".docx")) {
            return Optional.of(Kind.DOCX);
        } else if (name.endsWith(".doc")) {
            return Optional.of(Kind.DOC);
        } else if (name.endsWith(".txt") || name.endsWith(".text")) {
            return Optional.of(Kind.TXT);
        } else if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return Optional.of(Kind.MD);
        } else if (name.endsWith(".html") || name.endsWith(".htm")) {
            return Optional.of(Kind.HTML);
        }
        return Optional.empty();
    }

    /** Parses a file by its announced kind, after checking its bytes really are of that kind. */
    public static ParsedDocument parse(byte[] bytes, Kind kind, String url, String fallbackTitle) {
        if (bytes.length == 0) {
            throw new UnreadableDocumentException("the file is empty");
        }
        ParsedDocument document = switch (kind) {
            case PDF -> pdf(bytes, url, fallbackTitle);
            case DOCX -> docx(bytes, url, fallbackTitle);
            case DOC -> doc(bytes, url, fallbackTitle);
            case TXT -> text(bytes, url, fallbackTitle, false);
            case MD -> text(bytes, url, fallbackTitle, true);
            case HTML -> HtmlCleaner.clean(Jsoup.parse(decode(bytes), url), url);
        };
        if (document.isEmpty()) {
            throw new UnreadableDocumentException(kind == Kind.PDF
                    ? "the PDF has no extractable text (a scanned PDF needs OCR first)"
                    : "the file has no text to index");
        }
        return document;
    }

    static ParsedDocument pdf(byte[] bytes, String url, String fallbackTitle) {
        if (FileMagic.valueOf(bytes) != FileMagic.PDF) {
            throw new UnreadableDocumentException("the file is not a PDF: its content does not start like one");
        }
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new UnreadableDocumentException("the PDF is protected against text extraction");
            }
            String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            List<ParsedDocument.Block> blocks = new ArrayList<>();
            for (int page = 1; page <= pdf.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                for (String paragraph : paragraphs(stripper.getText(pdf))) {
                    blocks.add(new ParsedDocument.Block(paragraph, List.of(), page));
                }
            }
            return new ParsedDocument(url, title == null || title.isBlank() ? fallbackTitle : title.strip(), blocks);
        } catch (InvalidPasswordException e) {
            throw new UnreadableDocumentException("the PDF is password-protected", e);
        } catch (IOException e) {
            throw new UnreadableDocumentException("the PDF is damaged and cannot be read: " + e.getMessage(), e);
        }
    }

    static ParsedDocument docx(byte[] bytes, String url, String fallbackTitle) {
        if (FileMagic.valueOf(bytes) != FileMagic.OOXML) {
            throw new UnreadableDocumentException("the file is not a DOCX document: its content does not match the extension");
        }
        try (XWPFDocument docx = new XWPFDocument(new ByteArrayInputStream(bytes))) {
            Headings headings = new Headings();
            List<ParsedDocument.Block> blocks = new ArrayList<>();
            for (IBodyElement element : docx.getBodyElements()) {
                if (element instanceof XWPFParagraph paragraph) {
                    String text = paragraph.getText().strip();
                    Integer level = wordHeadingLevel(paragraph.getStyle() == null ? null
                            : docx.getStyles() != null && docx.getStyles().getStyle(paragraph.getStyle()) != null
                            ? docx.getStyles().getStyle(paragraph.getStyle()).getName() : paragraph.getStyle());
                    if (text.isEmpty()) {
                        continue;
                    }
                    if (level != null) {
                        headings.set(level, text);
                    } else {
                        blocks.add(new ParsedDocument.Block(paragraph.getNumID() != null ? "- " + text : text,
                                headings.path(), null));
                    }
                } else if (element instanceof XWPFTable table) {
                    List<String> rows = new ArrayList<>();
                    for (XWPFTableRow row : table.getRows()) {
                        rows.add(String.join(" | ", row.getTableCells().stream().map(c -> c.getText().strip()).toList()));
                    }
                    blocks.add(new ParsedDocument.Block(String.join("\n", rows), headings.path(), null));
                }
            }
            String title = docx.getProperties().getCoreProperties().getTitle();
            return new ParsedDocument(url, title == null || title.isBlank() ? fallbackTitle : title.strip(), blocks);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableDocumentException("the DOCX document is damaged and cannot be read", e);
        }
    }

    static ParsedDocument doc(byte[] bytes, String url, String fallbackTitle) {
        if (FileMagic.valueOf(bytes) != FileMagic.OLE2) {
            throw new UnreadableDocumentException("the file is not a Word 97-2003 (.doc) document: its content does not match the extension");
        }
        try (HWPFDocument doc = new HWPFDocument(new ByteArrayInputStream(bytes))) {
            Headings headings = new Headings();
            List<ParsedDocument.Block> blocks = new ArrayList<>();
            Range range = doc.getRange();
            for (int i = 0; i < range.numParagraphs(); i++) {
                Paragraph paragraph = range.getParagraph(i);
                String text = paragraph.text().replaceAll("[\\r\\u0007\\f]", " ").strip();
                if (text.isEmpty()) {
                    continue;
                }
                String style = doc.getStyleSheet().getStyleDescription(paragraph.getStyleIndex()) == null ? null
                        : doc.getStyleSheet().getStyleDescription(paragraph.getStyleIndex()).getName();
                Integer level = wordHeadingLevel(style);
                if (level != null) {
                    headings.set(level, text);
                } else {
                    blocks.add(new ParsedDocument.Block(text, headings.path(), null));
                }
            }
            String title = doc.getSummaryInformation() == null ? null : doc.getSummaryInformation().getTitle();
            return new ParsedDocument(url, title == null || title.isBlank() ? fallbackTitle : title.strip(), blocks);
        } catch (OLE2NotOfficeXmlFileException e) {
            throw new UnreadableDocumentException("the .doc file is damaged and cannot be read", e);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableDocumentException("the .doc file is damaged and cannot be read", e);
        }
    }

    static ParsedDocument text(byte[] bytes, String url, String fallbackTitle, boolean markdown) {
        for (byte b : bytes) {
            if (b == 0) {
                throw new UnreadableDocumentException("the file is not text: it contains binary data");
            }
        }
        String content = decode(bytes);
        Headings headings = new Headings();
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        String title = fallbackTitle;
        StringBuilder paragraph = new StringBuilder();
        for (String line : content.split("\\R", -1)) {
            MarkdownHeading heading = markdown ? MarkdownHeading.of(line) : null;
            if (heading != null) {
                addParagraph(blocks, paragraph, headings, markdown);
                headings.set(heading.level(), heading.text());
                if (heading.level() == 0 && title.equals(fallbackTitle)) {
                    title = heading.text();
                }
            } else if (line.isBlank()) {
                addParagraph(blocks, paragraph, headings, markdown);
            } else {
                paragraph.append(line.strip()).append(' ');
            }
        }
        addParagraph(blocks, paragraph, headings, markdown);
        return new ParsedDocument(url, title, blocks);
    }

    private static void addParagraph(List<ParsedDocument.Block> blocks, StringBuilder paragraph, Headings headings,
                                     boolean markdown) {
        String text = paragraph.toString().strip();
        paragraph.setLength(0);
        if (markdown) {
            text = MD_LINK.matcher(text).replaceAll("$1").replaceAll("[*_`]{1,3}", "");
        }
        if (!text.isEmpty()) {
            blocks.add(new ParsedDocument.Block(text, headings.path(), null));
        }
    }

    /** An ATX heading ({@code ## Text ##}), read in one pass over the line; level 0 is {@code #}. */
    record MarkdownHeading(int level, String text) {
        static MarkdownHeading of(String line) {
            int hashes = 0;
            while (hashes < line.length() && line.charAt(hashes) == '#') {
                hashes++;
            }
            if (hashes == 0 || hashes > 6 || hashes == line.length() || !Character.isWhitespace(line.charAt(hashes))) {
                return null;
            }
            String text = line.substring(hashes).strip();
            int end = text.length();
            while (end > 0 && text.charAt(end - 1) == '#') {
                end--;
            }
            // a closing run of '#' counts only after a space (or as the whole text): "C#" keeps its '#'
            if (end == 0 || Character.isWhitespace(text.charAt(end - 1))) {
                text = text.substring(0, end).strip();
            }
            return new MarkdownHeading(hashes - 1, text);
        }
    }

    /** Paragraphs of extracted PDF text: blank lines separate them, single line breaks are wrapping. */
    static List<String> paragraphs(String text) {
        List<String> paragraphs = new ArrayList<>();
        for (String part : text.split("\\n\\s*\\n")) {
            String paragraph = part.replaceAll("\\s+", " ").strip();
            if (!paragraph.isEmpty()) {
                paragraphs.add(paragraph);
            }
        }
        return paragraphs;
    }

    static Integer wordHeadingLevel(String style) {
        if (style == null) {
            return null;
        }
        Matcher matcher = WORD_HEADING.matcher(style.replace("Heading", "heading "));
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(1) == null ? 0 : Integer.parseInt(matcher.group(1)) - 1;
    }

    /** UTF-8 when valid, otherwise Windows-1252 (old exports), so no byte is silently lost. */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString().replace("\uFEFF", "");
        } catch (CharacterCodingException e) {
            return new String(bytes, java.nio.charset.Charset.forName("windows-1252"));
        }
    }


    /** The heading path above the current paragraph. */
    private static final class Headings {
        private final String[] levels = new String[6];

        void set(int level, String text) {
            if (level < 0 || level > 5) {
                return;
            }
            levels[level] = text;
            for (int i = level + 1; i < levels.length; i++) {
                levels[i] = null;
            }
        }

        List<String> path() {
            List<String> path = new ArrayList<>();
            for (String level : levels) {
                if (level != null) {
                    path.add(level);
                }
            }
            return path;
        }
    }
}
