package io.aidesk.seed;

import io.aidesk.api.settings.EscalationRule;
import io.aidesk.api.settings.SettingsPatch;
import io.aidesk.api.tenancy.TenantId;
import io.aidesk.api.tools.ToolNames;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A demo tenant: the assistant settings its admin would have chosen, its people, its help center (served by the app
 * under {@link #sitePath()}), one uploaded file, its CRM contacts and the conversations it starts with.
 *
 * @param language the tenant's language (en, es): its users' screens open in it
 */
public record DemoTenant(TenantId id, String name, String language, SettingsPatch settings, List<DemoUser> users,
                         String fileName, List<DemoContact> contacts, List<DemoConversation> conversations) {

    public static final List<DemoTenant> ALL = List.of(
            new DemoTenant(new TenantId("acme"), "Acme Plumbing", "en",
                    // cancellations are not escalated here: the autopilot proposes cancel_subscription and it waits
                    // for an admin in the approvals inbox (legal matters still go to a person)
                    new SettingsPatch(true, true, 0.7,
                            List.of(ToolNames.CREATE_TICKET, ToolNames.ADD_INTERNAL_NOTE, ToolNames.HANDOFF_TO_HUMAN,
                                    ToolNames.CANCEL_SUBSCRIPTION),
                            List.of(EscalationRule.onKeywords("legal", "lawyer", "lawsuit", "sue")),
                            "redacted", Map.of()),
                    List.of(new DemoUser("ana@acme", "Ana Torres", List.of("admin")),
                            new DemoUser("bo@acme", "Bo Lindqvist", List.of("agent")),
                            new DemoUser("carla@acme", "Carla Reyes", List.of("auditor"))),
                    "acme-price-list-2026.pdf",
                    List.of(new DemoContact("Maria Lopez", "maria.lopez@example.com", "+1 555 0101", "premium"),
                            new DemoContact("John Carter", "john.carter@example.com", "+1 555 0102", "plus"),
                            new DemoContact("Priya Shah", "priya.shah@example.com", "+1 555 0103", "basic"),
                            new DemoContact("Tom Becker", "tom.becker@example.com", "+1 555 0104", "plus")),
                    List.of(new DemoConversation("opening-hours", "priya.shah@example.com", "web", "Saturday hours",
                                    List.of("What are your opening hours on Saturdays?")),
                            new DemoConversation("drain-price", "tom.becker@example.com", "email", "Drain cleaning price",
                                    List.of("How much does drain cleaning cost per drain?")),
                            new DemoConversation("water-heater", "john.carter@example.com", "web", "Water heater",
                                    List.of("My water heater tank is leaking and the hot water is rust-colored. Can you replace it?")),
                            new DemoConversation("cancel-plan", "maria.lopez@example.com", "web", "Cancel my plan",
                                    List.of("I want to cancel my maintenance plan.")))),
            new DemoTenant(new TenantId("globex"), "Globex Insurance", "es",
                    // acting on a policy (a claim, a refund) needs its number; cancellations and legal matters go to
                    // a person
                    new SettingsPatch(true, true, 0.7,
                            List.of(ToolNames.CREATE_TICKET, ToolNames.ADD_INTERNAL_NOTE, ToolNames.HANDOFF_TO_HUMAN,
                                    ToolNames.SET_CONTACT_FIELD),
                            List.of(EscalationRule.onKeywords("abogado", "demanda", "legal"),
                                    EscalationRule.onKeywords("cancelar", "baja", "cancel")),
                            "redacted",
                            Map.of("billing", List.of("policy_number"), "support", List.of("policy_number"))),
                    List.of(new DemoUser("diego@globex", "Diego Fernández", List.of("admin")),
                            new DemoUser("elena@globex", "Elena García", List.of("agent")),
                            new DemoUser("fede@globex", "Federico Ruiz", List.of("auditor"))),
                    "globex-poliza-hogar.docx",
                    List.of(new DemoContact("Lucía Martín", "lucia.martin@example.es", "+34 600 100 201", "hogar-plus"),
                            new DemoContact("Javier Ortega", "javier.ortega@example.es", "+34 600 100 202", "hogar-basico"),
                            new DemoContact("Carmen Vidal", "carmen.vidal@example.es", "+34 600 100 203", "auto-terceros")),
                    List.of(new DemoConversation("franquicia", "lucia.martin@example.es", "web", "Franquicia",
                                    List.of("Mi póliza es la GX-204518. ¿Cuál es la franquicia del seguro de hogar?")),
                            new DemoConversation("fuga", "javier.ortega@example.es", "whatsapp", "Fuga de agua",
                                    List.of("Tengo una fuga de agua en la cocina desde esta mañana y el suelo está empapado.",
                                            "Mi número de póliza es GX-318877. ¿Cómo declaro el siniestro de la fuga?")))));

    public DemoTenant {
        users = List.copyOf(users);
        contacts = List.copyOf(contacts);
        conversations = List.copyOf(conversations);
    }

    /** Where AI Desk serves this tenant's help center, on its own address. */
    public String sitePath() {
        return DemoSite.PATH + id.value() + "/";
    }

    /** The classpath resource of the tenant's uploaded file. */
    public String fileResource() {
        return "/demo/" + id.value() + "/" + fileName;
    }

    /** The tenant whose user this is: the demo's sign-in knows no other way to tell. */
    public static Optional<DemoTenant> of(String userId) {
        return ALL.stream().filter(tenant -> tenant.user(userId).isPresent()).findFirst();
    }

    public Optional<DemoUser> user(String userId) {
        return users.stream().filter(user -> user.userId().equals(userId)).findFirst();
    }
}
