package io.aidesk.api.decision;

import java.util.Arrays;
import java.util.Locale;

/** What a customer's message asks for, which decides what the assistant does with it (answer, act, hand over). */
public enum CustomerNeed {
    /** information the help center may hold: answered with citations */
    QUESTION,
    /** something broken or wrong: a ticket */
    PROBLEM_REPORT,
    /** an explicit request for a ticket, a visit, a follow-up: a ticket */
    TICKET_REQUEST,
    /** cancel the subscription: cancel_subscription, waiting for an admin */
    CANCELLATION,
    /** another plan: change_plan, waiting for an admin */
    PLAN_CHANGE,
    /** money back: issue_credit, waiting for an admin */
    CREDIT_REFUND,
    /** a person: handed over */
    HUMAN,
    /** a legal matter: handed over */
    LEGAL,
    /** the data the assistant asked for: the earlier request goes on */
    GIVES_DATA,
    /** greetings and thanks: a short reply */
    SMALL_TALK,
    /** nothing to do with the business: a short reply saying what the assistant is for */
    OFF_TOPIC,
    /** insults, threats, spam: handed over */
    ABUSE;

    /** The need as APIs and labelled data write it: "problem_report". */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CustomerNeed of(String wire) {
        return Arrays.stream(values()).filter(need -> need.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no customer need '" + wire + "'"));
    }

    /** Needs that a tool serves. */
    public boolean acts() {
        return this == PROBLEM_REPORT || this == TICKET_REQUEST || this == CANCELLATION || this == PLAN_CHANGE
                || this == CREDIT_REFUND;
    }

    /** Needs whose tool waits for an admin's approval: cancel_subscription, change_plan, issue_credit. */
    public boolean sensitive() {
        return this == CANCELLATION || this == PLAN_CHANGE || this == CREDIT_REFUND;
    }

    /** Needs that only a person should handle. */
    public boolean forAPerson() {
        return this == HUMAN || this == LEGAL || this == ABUSE;
    }
}
