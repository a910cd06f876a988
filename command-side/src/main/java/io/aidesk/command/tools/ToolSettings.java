package io.aidesk.command.tools;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Limits on what tools may do (aidesk.tools.*).
 *
 * @param contactFields the contact fields set_contact_field may write
 * @param maxCredit     the most issue_credit may credit in one call
 */
@ConfigurationProperties("aidesk.tools")
public record ToolSettings(
        @DefaultValue({"email", "phone", "policy_number", "preferred_language", "address"}) List<String> contactFields,
        @DefaultValue("100") double maxCredit) {
}
