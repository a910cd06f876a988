package io.aidesk.api.tools;

import java.util.List;
import java.util.Set;

/** The names of the CRM tools the model may propose (DESIGN §4). */
public final class ToolNames {
    public static final String CREATE_TICKET = "create_ticket";
    public static final String ADD_INTERNAL_NOTE = "add_internal_note";
    public static final String SET_CONTACT_FIELD = "set_contact_field";
    public static final String CREATE_TASK = "create_task";
    public static final String HANDOFF_TO_HUMAN = "handoff_to_human";
    public static final String CHANGE_PLAN = "change_plan";
    public static final String ISSUE_CREDIT = "issue_credit";
    public static final String CANCEL_SUBSCRIPTION = "cancel_subscription";

    /** Every known tool, in the order the settings screen lists them. */
    public static final List<String> ALL = List.of(CREATE_TICKET, ADD_INTERNAL_NOTE, SET_CONTACT_FIELD,
            CREATE_TASK, HANDOFF_TO_HUMAN, CHANGE_PLAN, ISSUE_CREDIT, CANCEL_SUBSCRIPTION);

    /** Tools that always wait for an admin's approval. */
    public static final Set<String> SENSITIVE = Set.of(CHANGE_PLAN, ISSUE_CREDIT, CANCEL_SUBSCRIPTION);

    private ToolNames() {
    }
}
