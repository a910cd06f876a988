package io.aidesk.command.crm;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The built-in CRM over HTTP: contacts are created here; tickets, tasks and notes are what the tools did. */
@RestController
@RequestMapping("/api/crm")
class CrmController {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern FIELD = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
    static final int MAX_FIELDS = 50;

    private final CrmStore crm;

    CrmController(CrmStore crm) {
        this.crm = crm;
    }

    record NewContact(String name, String email, String phone, String plan, Map<String, String> fields) {
    }

    record Items<T>(List<T> items) {
    }

    @PostMapping(path = "/contacts", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CrmStore.Contact> create(@RequestBody NewContact body, Caller caller) {
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            throw new InvalidCommandException("name", "a contact needs a name of 1 to 200 characters");
        }
        if (body.email() != null && (body.email().length() > 320 || !EMAIL.matcher(body.email()).matches())) {
            throw new InvalidCommandException("email", "not an email address: '" + body.email() + "'");
        }
        if (body.phone() != null && (body.phone().length() > 40 || !body.phone().matches("[+0-9 ().-]{4,40}"))) {
            throw new InvalidCommandException("phone", "not a phone number: '" + body.phone() + "'");
        }
        if (body.plan() != null && (body.plan().isBlank() || body.plan().length() > 64)) {
            throw new InvalidCommandException("plan", "a plan name has 1 to 64 characters");
        }
        Map<String, String> fields = body.fields() == null ? Map.of() : body.fields();
        if (fields.size() > MAX_FIELDS) {
            throw new InvalidCommandException("fields", "at most " + MAX_FIELDS + " custom fields");
        }
        fields.forEach((key, value) -> {
            if (!FIELD.matcher(key).matches()) {
                throw new InvalidCommandException("fields." + key, "field names are snake_case, up to 64 characters");
            }
            if (value == null || value.length() > 1000) {
                throw new InvalidCommandException("fields." + key, "a field's value is a string of up to 1000 characters");
            }
        });
        CrmStore.Contact contact = crm.createContact(caller.tenantId().value(), body.name().strip(), body.email(),
                body.phone(), body.plan() == null ? null : body.plan().strip(), fields);
        return ResponseEntity.created(URI.create("/api/crm/contacts/" + contact.id())).body(contact);
    }

    @GetMapping("/contacts")
    Items<CrmStore.Contact> contacts(Caller caller) {
        return new Items<>(crm.contacts(caller.tenantId().value()));
    }

    @GetMapping("/contacts/{id}")
    CrmStore.Contact contact(@PathVariable String id, Caller caller) {
        return crm.contact(caller.tenantId().value(), Ids.known(id, "contact"));
    }

    @GetMapping("/tickets")
    Items<CrmStore.Ticket> tickets(@RequestParam(name = "contact_id", required = false) String contactId, Caller caller) {
        return new Items<>(crm.tickets(caller.tenantId().value(), contactId));
    }

    @GetMapping("/tasks")
    Items<CrmStore.Task> tasks(Caller caller) {
        return new Items<>(crm.tasks(caller.tenantId().value()));
    }

    @GetMapping("/notes")
    Items<CrmStore.Note> notes(@RequestParam(name = "conversation_id", required = false) String conversationId,
                               Caller caller) {
        return new Items<>(crm.notes(caller.tenantId().value(), conversationId));
    }
}
