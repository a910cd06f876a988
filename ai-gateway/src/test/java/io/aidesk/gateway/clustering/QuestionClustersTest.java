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
    void aQuestionJoinsTheGroupOfItsClosestEarlierQuestionAtOrAboveTheThreshold() {
        // cos 20° = 0.94, cos 35° = 0.82, cos 60° = 0.5
        List<float[]> vectors = List.of(at(0), at(20), at(40), at(100), at(120), at(-60));
        int[] groups = QuestionClusters.group(vectors, 0.9);
        // 40° is 20° from 20°: single link chains it into the first group although it is 40° from the first
        assertThat(groups).containsExactly(0, 0, 0, 1, 1, 2);
        assertThat(QuestionClusters.members(groups)).containsExactly(List.of(0, 1, 2), List.of(3, 4), List.of(5));
        assertThat(QuestionClusters.group(vectors, 0.95)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(QuestionClusters.closeness(at(50), List.of(at(0), at(40)))).isCloseTo(Math.cos(Math.toRadians(10)),
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
