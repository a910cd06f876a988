package io.aidesk.gateway.embedding;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;

/** The real model, in-process: similar texts land close together, unrelated ones do not. */
class OfflineEmbeddingModelTest {
    private static OfflineEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = new OfflineEmbeddingModel(ForkJoinPool.commonPool());
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void aQueryIsClosestToThePassageThatAnswersIt() {
        List<float[]> passages = model.embedDocuments(List.of(
                "Our plumbers are available Monday to Friday from 8am to 6pm, and Saturdays until noon.",
                "Water heater replacement costs between $900 and $1,500 depending on the venting.",
                "We serve Madison and every town within 25 km of it."));
        float[] query = model.embedQuery("what time do you open on saturday?");

        assertThat(passages).allSatisfy(vector -> assertThat(vector).hasSize(384));
        double hours = cosine(query, passages.get(0));
        assertThat(hours).isGreaterThan(cosine(query, passages.get(1))).isGreaterThan(cosine(query, passages.get(2)));
    }

    @Test
    void countsTokensWithTheModelsOwnTokenizer() {
        assertThat(model.countTokens("hello world")).isBetween(2, 4);
        String long300Words = "plumbing ".repeat(300);
        assertThat(model.countTokens(long300Words)).isGreaterThanOrEqualTo(300);
    }
}
