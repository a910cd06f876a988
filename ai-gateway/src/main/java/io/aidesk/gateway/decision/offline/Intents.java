package io.aidesk.gateway.decision.offline;

import io.aidesk.gateway.embedding.EmbeddingModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * support, sales, billing or other: keyword rules first, then similarity to example requests of each intent (in
 * English and Spanish) through the embedding model.
 */
final class Intents {
    private static final Map<String, Set<String>> KEYWORDS = Map.of(
            "billing", Set.copyOf(List.of("invoice", "invoic", "bill", "billing", "charge", "charged", "refund", "payment", "paid",
                    "pay", "receipt", "factura", "cobro", "cobrar", "cobrado", "pago", "pagar", "reembolso", "recibo",
                    "deductible", "deducible", "premium", "prima", "credit")),
            "sales", Set.copyOf(List.of("price", "prices", "pricing", "quote", "buy", "purchase", "cost", "costs", "plan", "plans",
                    "upgrade", "discount", "offer", "precio", "precios", "presupuesto", "comprar", "cotizacion",
                    "contratar", "oferta", "descuento", "cuesta", "cuestan")),
            "support", Set.copyOf(List.of("broken", "leak", "leaking", "leaks", "error", "problem", "issue", "working", "fix",
                    "repair", "help", "install", "claim", "damage", "damaged", "hours", "open", "schedule", "roto",
                    "fuga", "problema", "ayuda", "arreglar", "reparar", "reclamo", "siniestro", "dano", "horario",
                    "averia", "funciona")));
    private static final Map<String, List<String>> EXAMPLES = Map.of(
            "billing", List.of("I was charged twice on my invoice", "When is my payment due?",
                    "Me cobraron dos veces en la factura"),
            "sales", List.of("How much does a new installation cost?", "I want to buy a plan",
                    "¿Cuánto cuesta contratar el servicio?"),
            "support", List.of("My water heater is leaking", "Something is not working, can you help?",
                    "Tengo un problema con mi reclamo"),
            "other", List.of("Hello, how are you?", "What is the weather like?", "Hola, buenos días"));
    /** Below this similarity an example says nothing. */
    static final double MIN_SIMILARITY = 0.6;

    private final EmbeddingModel embeddings;
    private volatile Map<String, List<float[]>> examples;

    Intents(EmbeddingModel embeddings) {
        this.embeddings = embeddings;
    }

    /** @param certainty 1 when a rule matched, else the similarity to the closest example (0 when none is close) */
    record Classified(String intent, double certainty) {
    }

    String of(String question) {
        return classify(question).intent();
    }

    Classified classify(String question) {
        Map<String, Integer> hits = new LinkedHashMap<>();
        List<String> words = Text.words(question);
        for (String intent : List.of("billing", "sales", "support")) {
            hits.put(intent, (int) words.stream().filter(KEYWORDS.get(intent)::contains).count());
        }
        String best = hits.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
        if (hits.get(best) > 0) {
            return new Classified(best, 1);
        }
        float[] vector = embeddings.embedDocuments(List.of(question)).get(0);
        String closest = "other";
        double closestSimilarity = MIN_SIMILARITY;
        for (Map.Entry<String, List<float[]>> entry : examples().entrySet()) {
            for (float[] example : entry.getValue()) {
                double similarity = cosine(vector, example);
                if (similarity > closestSimilarity) {
                    closestSimilarity = similarity;
                    closest = entry.getKey();
                }
            }
        }
        return new Classified(closest, closest.equals("other") ? 0 : closestSimilarity);
    }

    private Map<String, List<float[]>> examples() {
        if (examples == null) {
            Map<String, List<float[]>> embedded = new LinkedHashMap<>();
            EXAMPLES.forEach((intent, texts) -> embedded.put(intent, embeddings.embedDocuments(texts)));
            examples = embedded;
        }
        return examples;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
