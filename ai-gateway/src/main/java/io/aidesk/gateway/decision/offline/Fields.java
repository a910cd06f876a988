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
    private static final Map<String, String> SPANISH_NAMES = Map.of(
            "policy_number", "número de póliza", "order_number", "número de pedido", "email", "correo electrónico",
            "phone", "teléfono", "address", "dirección", "contact_name", "nombre");

    private Fields() {
    }

    static List<String> missing(List<String> required, List<String> customerTexts, Map<String, String> contact) {
        List<String> missing = new ArrayList<>();
        for (String field : required) {
            String known = contact.get(field);
            if (known != null && !known.isBlank()) {
                continue;
            }
            Pattern pattern = PATTERNS.getOrDefault(field, generic(field));
            if (customerTexts.stream().noneMatch(text -> pattern.matcher(text).find())) {
                missing.add(field);
            }
        }
        return missing;
    }

    /** "account id: 123" for a field called account_id. */
    private static Pattern generic(String field) {
        return Pattern.compile("(?i)\\b" + Pattern.quote(field.replace('_', ' ')) + "\\b\\s*(is|:|=|es)?\\s*\\S{2,}");
    }

    static String name(String field, String language) {
        if (Language.SPANISH.equals(language) && SPANISH_NAMES.containsKey(field)) {
            return SPANISH_NAMES.get(field);
        }
        return field.replace('_', ' ').toLowerCase(Locale.ROOT);
    }
}
