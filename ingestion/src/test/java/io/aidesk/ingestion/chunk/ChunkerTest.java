package io.aidesk.ingestion.chunk;

import io.aidesk.gateway.embedding.OfflineEmbeddingModel;
import io.aidesk.ingestion.parse.ParsedDocument;
import io.aidesk.ingestion.parse.ParsedDocument.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunks measured with the embedding model's own tokenizer, so no chunk is cut off by the model's window. */
class ChunkerTest {
    private static OfflineEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = new OfflineEmbeddingModel(ForkJoinPool.commonPool());
    }

    private static String sentences(String topic, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append("Sentence ").append(i).append(" explains how ").append(topic)
                    .append(" works for customers in the service area. ");
        }
        return text.toString().strip();
    }

    @Test
    void neverExceedsTheBudgetNorCrossesASection() {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block(sentences("billing", 60), List.of("Help", "Billing"), null));
        blocks.add(new Block("Short note on hours.", List.of("Help", "Hours"), null));
        Chunker chunker = new Chunker(model::countTokens, 120, 30);

        List<Chunk> chunks = chunker.chunk(new ParsedDocument("https://acme.test/help", "Help", blocks));

        assertThat(chunks.size()).isGreaterThan(3);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(model.countTokens(chunk.content())).isLessThanOrEqualTo(120);
            assertThat(model.countTokens(chunk.embedText())).isLessThan(model.maxTokens());
        });
        assertThat(chunks.get(chunks.size() - 1).headings()).containsExactly("Help", "Hours");
        assertThat(chunks.get(chunks.size() - 1).content()).isEqualTo("Short note on hours.");
        assertThat(chunks).filteredOn(chunk -> chunk.headings().contains("Billing"))
                .allSatisfy(chunk -> assertThat(chunk.content()).doesNotContain("hours"));
    }

    @Test
    void consecutiveChunksOfASectionOverlap() {
        List<Block> blocks = List.of(new Block(sentences("drain cleaning", 40), List.of("Drains"), null));
        List<Chunk> chunks = new Chunker(model::countTokens, 100, 30).chunk(new ParsedDocument("u", "t", blocks));

        assertThat(chunks.size()).isGreaterThan(2);
        for (int i = 1; i < chunks.size(); i++) {
            List<String> previous = List.of(chunks.get(i - 1).content().split("\n"));
            List<String> current = List.of(chunks.get(i).content().split("\n"));
            assertThat(previous).as("the chunk repeats the end of the one before").contains(current.get(0));
            assertThat(current).contains(previous.get(previous.size() - 1));
            assertThat(model.countTokens(String.join(" ", current.subList(0, current.indexOf(previous.get(previous.size() - 1)) + 1))))
                    .as("but no more than the overlap budget").isLessThanOrEqualTo(30);
        }
    }

    @Test
    void theSameTextHashesTheSameAndAPassageRepeatedOnAPageIsKeptOnce() {
        List<Block> blocks = List.of(new Block("Call us on weekends.", List.of("Hours"), null),
                new Block("Something else entirely.", List.of("Other"), null),
                new Block("Call us on weekends.", List.of("Hours"), null));
        Chunker chunker = new Chunker(model::countTokens, 50, 0);

        List<Chunk> first = chunker.chunk(new ParsedDocument("u", "Acme", blocks));
        List<Chunk> second = chunker.chunk(new ParsedDocument("u", "Acme", blocks));

        assertThat(first).extracting(Chunk::hash).containsExactlyElementsOf(second.stream().map(Chunk::hash).toList());
        assertThat(first).extracting(Chunk::content).containsExactly("Call us on weekends.", "Something else entirely.");
        assertThat(TextHash.of("a  b\n c")).isEqualTo(TextHash.of("a b c"));
    }
}
