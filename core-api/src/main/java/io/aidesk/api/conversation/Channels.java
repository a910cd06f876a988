package io.aidesk.api.conversation;

import java.util.List;

/** The channels and senders a conversation knows. */
public final class Channels {
    public static final List<String> CHANNELS = List.of("web", "email", "whatsapp", "sms");
    public static final String CUSTOMER = "customer";
    public static final String AGENT = "agent";
    public static final String ASSISTANT = "assistant";
    public static final List<String> SENDERS = List.of(CUSTOMER, AGENT, ASSISTANT);

    private Channels() {
    }

    /** The role a model reads a sender's message in. */
    public static String roleOf(String sender) {
        return CUSTOMER.equals(sender) ? "user" : "assistant";
    }
}
