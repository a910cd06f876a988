package io.aidesk.gateway.decision.offline;

import io.aidesk.gateway.language.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Finds a required field's value in the customer's messages or the contact, and names the field in either language. */
final class Fields {
    private static final Map<String, Pattern> PATTERNS = Map.of(
            "email", Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+"),
            "phone", Pattern.compile("\\+?\\d[\\d\\s().-]{7,}\\d"),
            "policy_number", Pattern.compile("(?i)(\\b(policy|p[oó]liza)\\b\\D{0,25}[A-Z0-9][A-Z0-9-]{4,})|\\b[A-Z]{2,4}-\\d{4,}\\b"),
            "order_number", Pattern.compile("(?i)\\b(order|pedido)\\b\\D{0,20}#?[A-Z0-9-]{4,}"),
            "address", Pattern.compile("(?i)\\d+\\s+\\w+(\\s\\w+)*\\s(street|st|avenue|ave|road|rd|calle|avenida)\\b"));
    private static final Map<String, String> SPANISH_NAMES = Map.ofEntries(Map.entry("policy_number", "número de póliza"),
            Map.entry("order_number", "número de pedido"), Map.entry("email", "correo electrónico"),
            Map.entry("phone", "teléfono"), Map.entry("address", "dirección"), Map.entry("contact_name", "nombre"),
            Map.entry("account_number", "número de cuenta"), Map.entry("contract_number", "número de contrato"),
            Map.entry("customer_number", "número de cliente"), Map.entry("plan", "plan"), Map.entry("amount", "importe"));
    /** An identifier as companies shape them, given anywhere in the customer's words: "NF-48213", "LS778120". */
    private static final Pattern SHAPED_IDENTIFIER = Pattern.compile("\\b[A-Z]{1,5}-?\\d{4,}\\b");
    /** What an identifier looks like when a customer answers a request for one: letters and digits, or a long number. */
    private static final Pattern IDENTIFIER = Pattern.compile("\\b(?=[A-Za-z0-9-]*\\d)[A-Za-z0-9][A-Za-z0-9-]{3,}\\b");

    private Fields() {
    }

    /**
     * @param answer the customer's reply to this model's request for data, or null: an identifier in it gives the
     *               fields that were asked for, however the customer words it ("sure, it's NF-48213")
     */
    static List<String> missing(List<String> required, List<String> customerTexts, Map<String, String> contact,
                                String answer) {
        List<String> missing = new ArrayList<>();
        for (String field : required) {
            String known = contact.get(field);
            if (known != null && !known.isBlank()) {
                continue;
            }
            Pattern pattern = PATTERNS.getOrDefault(field, generic(field));
            boolean identifier = field.endsWith("_number") || field.endsWith("_id");
            boolean answered = answer != null && !PATTERNS.containsKey(field) && IDENTIFIER.matcher(answer).find()
                    || identifier && !PATTERNS.containsKey(field)
                    && customerTexts.stream().anyMatch(text -> SHAPED_IDENTIFIER.matcher(text).find());
            if (!answered && customerTexts.stream().noneMatch(text -> pattern.matcher(text).find())) {
                missing.add(field);
            }
        }
        return missing;
    }

    /**
     * "account number: NF-123", "account NF-123", "número de contrato LS-1" or "contrato LS-1" for a field called
     * account_number or contract_number: its name or the noun that heads it, then an identifier.
     */
    private static Pattern generic(String field) {
        List<String> names = new ArrayList<>(List.of(field.replace('_', ' ')));
        if (SPANISH_NAMES.containsKey(field)) {
            names.add(SPANISH_NAMES.get(field));
        }
        for (String name : List.copyOf(names)) {
            String head = name.replaceAll("(?i)\\s*\\b(number|id|code|n[uú]mero|c[oó]digo)\\b\\s*(de\\s+)?", " ").strip();
            if (!head.isEmpty() && !head.equals(name)) {
                names.add(head);
            }
        }
        String alternatives = String.join("|", names.stream().map(Pattern::quote).toList());
        return Pattern.compile("(?iu)\\b(" + alternatives + ")\\b\\W{0,3}(is|es|:|=)?\\s*(el|la|the)?\\s*(?=[A-Z0-9-]*\\d)[A-Z0-9][A-Z0-9-]{2,}");
    }

    static String name(String field, String language) {
        if (Language.SPANISH.equals(language) && SPANISH_NAMES.containsKey(field)) {
            return SPANISH_NAMES.get(field);
        }
        return field.replace('_', ' ').toLowerCase(Locale.ROOT);
    }
}
