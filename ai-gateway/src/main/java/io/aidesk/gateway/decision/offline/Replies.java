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

    private static final String ASK_EN = "To help you with this, could you send me your ";
    private static final String ASK_ES = "Para ayudarle con esto, ¿podría indicarme su ";

    /** Whether an assistant's message is this model's request for data, so the customer's next message answers it. */
    static boolean asksFor(String text) {
        return text != null && (text.startsWith(ASK_EN) || text.startsWith(ASK_ES));
    }

    static String askFor(List<String> fields, String language) {
        String list = fields.size() == 1 ? fields.get(0)
                : String.join(", ", fields.subList(0, fields.size() - 1))
                + (Language.SPANISH.equals(language) ? " y " : " and ") + fields.get(fields.size() - 1);
        return Language.SPANISH.equals(language)
                ? ASK_ES + list + "?"
                : ASK_EN + list + "?";
    }

    static String ticketOpened(String language) {
        return Language.SPANISH.equals(language)
                ? "He registrado una incidencia con lo que nos cuenta; nuestro equipo la revisará y le contestará."
                : "I've opened a ticket with what you told us; our team will look into it and get back to you.";
    }

    /** The sensitive action waits for an admin; the customer is told what was asked for, not that it is done. */
    static String awaitingApproval(String action, String language) {
        return Language.SPANISH.equals(language)
                ? "He pasado su solicitud (" + action + ") a nuestro equipo para su aprobación; le avisaremos en cuanto esté resuelta."
                : "I've passed your request (" + action + ") to our team for approval; we'll let you know as soon as it is done.";
    }

    static String smallTalk(String language) {
        return Language.SPANISH.equals(language)
                ? "¡Hola! Estoy aquí para ayudarle. ¿En qué puedo ayudarle hoy?"
                : "Hello! I'm here to help. What can I do for you today?";
    }

    static String offTopic(String language) {
        return Language.SPANISH.equals(language)
                ? "Solo puedo ayudarle con preguntas sobre nuestros servicios y su cuenta. ¿Hay algo de eso en lo que pueda ayudarle?"
                : "I can only help with questions about our services and your account. Is there anything like that I can help with?";
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
