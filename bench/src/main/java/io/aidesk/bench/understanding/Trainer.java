package io.aidesk.bench.understanding;

import io.aidesk.gateway.decision.offline.SoftmaxModel;

import java.util.List;

/** Fits a softmax model by full-batch gradient descent (Adam) on the cross-entropy with an L2 penalty. */
final class Trainer {
    static final int EPOCHS = 400;
    static final double RATE = 0.05;

    private Trainer() {
    }

    static SoftmaxModel fit(List<String> labels, List<double[]> features, List<String> targets, double l2) {
        int classes = labels.size();
        int size = features.get(0).length;
        int n = features.size();
        double[][] w = new double[classes][size];
        double[] b = new double[classes];
        double[][] mw = new double[classes][size];
        double[][] vw = new double[classes][size];
        double[] mb = new double[classes];
        double[] vb = new double[classes];
        int[] target = targets.stream().mapToInt(labels::indexOf).toArray();
        double beta1 = 0.9;
        double beta2 = 0.999;
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            double[][] gw = new double[classes][size];
            double[] gb = new double[classes];
            SoftmaxModel current = new SoftmaxModel(labels, w, b);
            for (int s = 0; s < n; s++) {
                double[] x = features.get(s);
                double[] p = current.probabilities(x);
                for (int k = 0; k < classes; k++) {
                    double error = (p[k] - (k == target[s] ? 1 : 0)) / n;
                    if (error == 0) {
                        continue;
                    }
                    double[] g = gw[k];
                    for (int i = 0; i < size; i++) {
                        g[i] += error * x[i];
                    }
                    gb[k] += error;
                }
            }
            double correction1 = 1 - Math.pow(beta1, epoch);
            double correction2 = 1 - Math.pow(beta2, epoch);
            for (int k = 0; k < classes; k++) {
                for (int i = 0; i < size; i++) {
                    double g = gw[k][i] + l2 * w[k][i];
                    mw[k][i] = beta1 * mw[k][i] + (1 - beta1) * g;
                    vw[k][i] = beta2 * vw[k][i] + (1 - beta2) * g * g;
                    w[k][i] -= RATE * (mw[k][i] / correction1) / (Math.sqrt(vw[k][i] / correction2) + 1e-8);
                }
                mb[k] = beta1 * mb[k] + (1 - beta1) * gb[k];
                vb[k] = beta2 * vb[k] + (1 - beta2) * gb[k] * gb[k];
                b[k] -= RATE * (mb[k] / correction1) / (Math.sqrt(vb[k] / correction2) + 1e-8);
            }
        }
        return new SoftmaxModel(labels, w, b);
    }
}
