package io.aidesk.ingestion;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Real PDF and DOCX files, written by PDFBox and POI the way office tools write them. */
public final class TestFiles {
    private TestFiles() {
    }

    /** One page per list entry; each entry's lines are written top to bottom. */
    public static byte[] pdf(List<List<String>> pages) {
        return pdf(pages, null);
    }

    public static byte[] encryptedPdf(List<List<String>> pages, String password) {
        return pdf(pages, password);
    }

    private static byte[] pdf(List<List<String>> pages, String password) {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> lines : pages) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream text = new PDPageContentStream(pdf, page)) {
                    text.beginText();
                    text.setFont(font, 12);
                    text.setLeading(16);
                    text.newLineAtOffset(72, 720);
                    for (String line : lines) {
                        text.showText(line);
                        text.newLine();
                    }
                    text.endText();
                }
            }
            if (password != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy(password, password, new AccessPermission());
                policy.setEncryptionKeyLength(128);
                pdf.protect(policy);
            }
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DOCX with a title, Heading 1/2 paragraphs, body text and a table, using Word's built-in styles. */
    public static byte[] docx(String title, List<String[]> headingsAndParagraphs, List<List<String>> table) {
        try (XWPFDocument docx = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            docx.getProperties().getCoreProperties().setTitle(title);
            docx.createStyles();
            for (String[] entry : headingsAndParagraphs) {
                var paragraph = docx.createParagraph();
                if (entry[0] != null) {
                    paragraph.setStyle(entry[0]);
                }
                paragraph.createRun().setText(entry[1]);
            }
            if (!table.isEmpty()) {
                XWPFTable t = docx.createTable(table.size(), table.get(0).size());
                for (int r = 0; r < table.size(); r++) {
                    for (int c = 0; c < table.get(r).size(); c++) {
                        t.getRow(r).getCell(c).setText(table.get(r).get(c));
                    }
                }
            }
            docx.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
