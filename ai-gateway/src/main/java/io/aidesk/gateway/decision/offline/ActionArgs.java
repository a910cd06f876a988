package io.aidesk.gateway.decision.offline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The arguments a customer's words give an action: the plan asked for, an amount of money, the ticket's subject,
 * priority and summary. Read from how the sentence is built (a name beside "plan", "to the …", an amount with its
 * currency), never from a list of one tenant's products.
 */
final class ActionArgs {
    /** Words that name an offering in English and Spanish. */
    private static final String OFFERING = "plan|tier|package|bundle|membership|tariff|subscription|box|cover|coverage|"
            + "level|option|plan[ae]s?|tarifa|paquete|membres[ií]a|suscripci[oó]n|modalidad|cobertura|bono|caja|nivel";
    private static final String NAME = "[\\p{Lu}\\d][\\p{L}\\d+\\-]*(?:\\s+[\\p{Lu}\\d][\\p{L}\\d+\\-]*){0,2}";
    /** After a word that names an offering, its name may be written in lower case: "la tarifa fija", "plan básico". */
    private static final String LOWER_NAME = "[\\p{L}\\d][\\p{L}\\d+\\-]*(?:\\s+[\\p{L}\\d][\\p{L}\\d+\\-]*){0,2}";
    private static final List<Pattern> PLAN = List.of(
            Pattern.compile("[\"“«']([^\"”»']{2,30})[\"”»']"),
            Pattern.compile("(?i:\\b(?:" + OFFERING + "))\\s+(" + NAME + ")"),
            Pattern.compile("(" + NAME + ")\\s+(?i:(?:" + OFFERING + "))\\b"),
            Pattern.compile("(?i:\\b(?:to|on|onto|into|for|a|al|hacia|por)\\s+(?:the\\s+|el\\s+|la\\s+)?)(" + NAME + ")"),
            // a word and a number, however written: "move me to fiber 1000"
            Pattern.compile("(?i)\\b(?:to|on|onto|into|a|al|hacia)\\s+(?:the\\s+|el\\s+|la\\s+)?(\\p{L}+\\s+\\d+\\p{L}*)"),
            Pattern.compile("(?iu)\\b(?:" + OFFERING + ")\\s+(" + LOWER_NAME + ")"));
    /** Lower-case words after "to", "a", "al"…: a plan's name only when the tenant's knowledge names it too. */
    private static final Pattern AFTER_TO = Pattern.compile("(?iu)\\b(?:to|onto|into|a|al|hacia)\\s+(?:the\\s+|el\\s+|la\\s+)?("
            + LOWER_NAME + ")");
    /** In the answer to "which plan?", the name is whatever the customer capitalised or numbered: "the Plus one". */
    private static final Pattern ANSWERED_NAME = Pattern.compile("(" + NAME + ")");
    /** Words that begin a sentence or are the language's own, never a plan's name. */
    private static final Pattern NOT_A_NAME = Pattern.compile("(?iu)(i|i'm|my|me|the|a|an|el|la|mi|yo|por|para|que|"
            + "please|hola|hi|hello|gracias|thanks|can|could|quiero|puede[ns]?|podr[ií]an?|de|del|of|for|from|to|with|"
            + "this|that|it|is|and|y|o|or|actual|current|que|porque|because|now|ahora|favor|one|uno|una|un|mine)");
    /** An account or policy number is no plan's name. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z]{1,5}-?\\d{4,}");
    private static final Pattern AMOUNT = Pattern.compile(
            "([$€£])\\s?(\\d{1,6}(?:[.,]\\d{1,2})?)|(\\d{1,6}(?:[.,]\\d{1,2})?)\\s?(€|\\$|£|(?i:(?:eur|euros?|usd|dollars?|"
                    + "d[oó]lares|bucks|pesos|gbp|pounds?|libras)\\b))");
    private static final Pattern URGENT = Pattern.compile("(?i)\\b(urgent\\w*|emergenc\\w*|asap|immediately|right now|"
            + "today|at once|critical|dangerous|danger|unsafe|no (water|power|electricity|heating|internet|service) at all|"
            + "urgente\\w*|emergencia\\w*|inmediat\\w*|cuanto antes|ya mismo|hoy mismo|peligro\\w*|grave)\\b");
    private static final Pattern NOT_URGENT = Pattern.compile("(?i)\\b(no rush|whenever|when you can|not urgent|"
            + "sin prisa|cuando (puedan|pueda)|no es urgente)\\b");

    private ActionArgs() {
    }

    /** The plan the text asks for, as the customer wrote its name. */
    static Optional<String> plan(String text) {
        for (Pattern pattern : PLAN) {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                String name = untilAWordOfTheSentence(matcher.group(1).strip().replaceAll("[.,;:!?]+$", ""));
                if (!name.isEmpty() && name.length() <= 30) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /** A name's words up to the first that belongs to the sentence rather than the name ("fija por favor" → "fija"). */
    private static String untilAWordOfTheSentence(String name) {
        StringBuilder kept = new StringBuilder();
        for (String word : name.split("\\s+")) {
            if (NOT_A_NAME.matcher(word).matches()) {
                break;
            }
            kept.append(kept.isEmpty() ? "" : " ").append(word);
        }
        return kept.toString();
    }

    /**
     * The plan the customer names, or else one the tenant's catalogue names: the longest run of words after "to" or "a"
     * ("pasadme a tarifa plana") that its knowledge holds as written.
     */
    static Optional<String> plan(String text, List<String> knowledge) {
        Optional<String> named = plan(text);
        if (named.isPresent() || knowledge.isEmpty()) {
            return named;
        }
        String held = Text.words(String.join(" ", knowledge)).stream().collect(Collectors.joining(" ", " ", " "));
        Matcher matcher = AFTER_TO.matcher(text);
        while (matcher.find()) {
            List<String> words = List.of(untilAWordOfTheSentence(matcher.group(1).strip()).split("\\s+"));
            for (int n = words.size(); n > 0; n--) {
                String name = String.join(" ", words.subList(0, n));
                if (!name.isBlank() && held.contains(" " + String.join(" ", Text.words(name)) + " ")) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /** The plan named in the customer's answer to a request for it. */
    static Optional<String> answeredPlan(String answer) {
        Optional<String> plan = plan(answer);
        if (plan.isPresent()) {
            return plan;
        }
        Matcher matcher = ANSWERED_NAME.matcher(answer);
        while (matcher.find()) {
            String name = untilAWordOfTheSentence(matcher.group(1).strip());
            if (!name.isEmpty() && !IDENTIFIER.matcher(name).matches()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    record Money(double amount, String currency) {
    }

    static Optional<Money> amount(String text) {
        Matcher matcher = AMOUNT.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String symbol = matcher.group(1) != null ? matcher.group(1) : matcher.group(4);
        String digits = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
        double amount = Double.parseDouble(digits.replace(',', '.'));
        return amount > 0 ? Optional.of(new Money(amount, currency(symbol))) : Optional.empty();
    }

    private static String currency(String symbol) {
        String s = symbol.toLowerCase(java.util.Locale.ROOT);
        if (s.equals("€") || s.startsWith("eur")) {
            return "EUR";
        }
        if (s.equals("£") || s.startsWith("gbp") || s.startsWith("pound") || s.startsWith("libra")) {
            return "GBP";
        }
        return s.startsWith("peso") ? "MXN" : "USD";
    }

    static Map<String, Object> ticket(String problem, List<String> customerTexts) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("subject", subject(problem));
        args.put("priority", priority(String.join(" ", customerTexts)));
        args.put("summary", summary(String.join(" / ", customerTexts)));
        return args;
    }

    /** Urgency and impact as the customer states them: an emergency, something unsafe, no service at all. */
    static String priority(String text) {
        if (URGENT.matcher(text).find() || text.chars().filter(c -> c == '!').count() >= 3) {
            return "high";
        }
        return NOT_URGENT.matcher(text).find() ? "low" : "normal";
    }

    static String subject(String text) {
        String first = Text.sentences(text).stream().findFirst().orElse(text).strip();
        return first.length() <= 80 ? first : first.substring(0, 77) + "...";
    }

    static String summary(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 500 ? flat : flat.substring(0, 497) + "...";
    }
}
