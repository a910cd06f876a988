package io.aidesk.gateway.clustering;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The grouping itself, on vectors whose cosines are known: chains join, a near miss below the threshold stays out. */
class QuestionClustersTest {
    private static float[] at(double degrees) {
        double radians = Math.toRadians(degrees);
        return new float[]{(float) Math.cos(radians), (float) Math.sin(radians)};
    }

    @Test
    void aQuestionJoinsTheGroupItIsClosestToOnAverageAtOrAboveTheThreshold() {
        // cos 20° = 0.94, cos 40° = 0.77: 40° is 20° from the second member but 0.85 on average, below 0.9
        List<float[]> vectors = List.of(at(0), at(20), at(40), at(100), at(110), at(-60));
        int[] groups = QuestionClusters.group(vectors, 0.9);
        assertThat(groups).containsExactly(0, 0, 1, 2, 2, 3);
        assertThat(QuestionClusters.members(groups)).containsExactly(List.of(0, 1), List.of(2), List.of(3, 4),
                List.of(5));
        // a lower threshold lets it in, on the average of the two
        assertThat(QuestionClusters.group(vectors, 0.8)).containsExactly(0, 0, 0, 1, 1, 2);
        assertThat(QuestionClusters.closeness(at(40), List.of(at(0), at(20))))
                .isCloseTo((Math.cos(Math.toRadians(40)) + Math.cos(Math.toRadians(20))) / 2,
                        org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void pairScoresCountPairsPutTogetherRightAndWrong() {
        QuestionClusters.PairScore perfect = QuestionClusters.score(new int[]{0, 0, 1}, new int[]{5, 5, 7});
        assertThat(perfect.f1()).isEqualTo(1.0);
        // predicted {a,b,c}: pairs ab, ac, bc; truth {a,b},{c}: only ab is right
        QuestionClusters.PairScore merged = QuestionClusters.score(new int[]{0, 0, 0}, new int[]{0, 0, 1});
        assertThat(merged.precision()).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(merged.recall()).isEqualTo(1.0);
    }

    @Test
    void spanishGroupsAtItsOwnThreshold() {
        assertThat(QuestionClusters.threshold("es")).isEqualTo(QuestionClusters.SPANISH_THRESHOLD);
        assertThat(QuestionClusters.threshold("en")).isEqualTo(QuestionClusters.ENGLISH_THRESHOLD);
    }
}
