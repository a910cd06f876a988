package io.aidesk.gateway.decision.offline;

import io.aidesk.gateway.language.Language;

import java.util.List;

/** The few sentences the offline model writes itself, in English and Spanish; everything else is quoted knowledge. */
public final class Replies {
    private Replies() {
    }

    static String answer(List<String> sentences, String language) {
        String body = String.join(" ", sentences);
        return Language.SPANISH.equals(language)
                ? "Según nuestra información: " + body
                : "Here is what our help center says: " + body;
    }

    static String askFor(List<String> fields, String language) {
        String list = fields.size() == 1 ? fields.get(0)
                : String.join(", ", fields.subList(0, fields.size() - 1))
                + (Language.SPANISH.equals(language) ? " y " : " and ") + fields.get(fields.size() - 1);
        return Language.SPANISH.equals(language)
                ? "Para ayudarle con esto, ¿podría indicarme su " + list + "?"
                : "To help you with this, could you send me your " + list + "?";
    }

    public static String handingOver(String language) {
        return Language.SPANISH.equals(language)
                ? "Le paso con una persona de nuestro equipo, que le responderá en breve."
                : "I'm passing you to a person on our team, who will get back to you shortly.";
    }

    public static String unsure(String language) {
        return Language.SPANISH.equals(language)
                ? "No encuentro una respuesta segura en nuestra información, así que una persona del equipo revisará su consulta."
                : "I couldn't find a reliable answer in our information, so a person on our team will look at your question.";
    }
}
