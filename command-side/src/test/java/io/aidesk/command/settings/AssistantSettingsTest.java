package io.aidesk.command.settings;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.settings.AssistantSettingsChanged;
import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.settings.AssistantSettingsUpdate;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.ChangeAssistantSettings;
import io.aidesk.api.settings.EscalationRule;
import io.aidesk.api.settings.SettingChange;
import io.aidesk.api.settings.SettingsPatch;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.api.tenancy.TenantId;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AssistantSettingsTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final String ID = AssistantSettingsId.of(ACME);
    private static final MetaData ADMIN = MetaData.with(MetadataKeys.TENANT_ID, "acme").and(MetadataKeys.USER_ID, "ana");

    private AggregateTestFixture<AssistantSettings> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(AssistantSettings.class);
    }

    private static SettingsPatch threshold(double value) {
        return new SettingsPatch(null, null, value, null, null, null, null);
    }

    private static AssistantSettingsValues defaultsWith(double threshold, boolean autopilot) {
        AssistantSettingsValues d = AssistantSettingsValues.defaults();
        return new AssistantSettingsValues(d.copilotEnabled(), autopilot, threshold, d.allowedTools(),
                d.escalationRules(), d.logContent(), d.requiredFields());
    }

    @Test
    void firstChangeStartsFromTheDefaultsAndRecordsWhoChangedWhat() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAssistantSettings(ID, new SettingsPatch(null, true, 0.8, null, null, null, null)), ADMIN)
                .expectSuccessfulHandlerExecution()
                .expectEvents(new AssistantSettingsChanged(ID, "acme", 1, defaultsWith(0.8, true),
                        List.of(new SettingChange("autopilot_enabled", false, true),
                                new SettingChange("confidence_threshold", 0.75, 0.8)),
                        "ana"))
                .expectResultMessagePayloadMatching(Matchers.instanceOf(AssistantSettingsUpdate.class));
    }

    @Test
    void aChangeThatChangesNothingRecordsNothing() {
        fixture.given(new AssistantSettingsChanged(ID, "acme", 1, defaultsWith(0.8, true), List.of(), "ana"))
                .when(new ChangeAssistantSettings(ID, threshold(0.8)), ADMIN)
                .expectNoEvents()
                .expectResultMessagePayload(new AssistantSettingsUpdate(defaultsWith(0.8, true), 1, List.of()));
    }

    @Test
    void theSameToolsInAnotherOrderAreNoChangeBesideAThresholdThatIs() {
        AssistantSettingsValues before = defaultsWith(0.8, true);
        List<String> reordered = new java.util.ArrayList<>(before.allowedTools());
        java.util.Collections.reverse(reordered);
        assertThat(reordered).hasSizeGreaterThan(1).isNotEqualTo(before.allowedTools());
        fixture.given(new AssistantSettingsChanged(ID, "acme", 1, before, List.of(), "ana"))
                .when(new ChangeAssistantSettings(ID, new SettingsPatch(null, null, 0.9, reordered, null, null, null)),
                        ADMIN)
                .expectEvents(new AssistantSettingsChanged(ID, "acme", 2, defaultsWith(0.9, true),
                        List.of(new SettingChange("confidence_threshold", 0.8, 0.9)), "ana"));
    }

    @Test
    void theRevisionGrowsWithEveryChange() {
        fixture.given(new AssistantSettingsChanged(ID, "acme", 1, defaultsWith(0.8, true), List.of(), "ana"))
                .when(new ChangeAssistantSettings(ID, threshold(0.9)), ADMIN)
                .expectEvents(new AssistantSettingsChanged(ID, "acme", 2, defaultsWith(0.9, true),
                        List.of(new SettingChange("confidence_threshold", 0.8, 0.9)), "ana"));
    }

    @Test
    void aThresholdOutsideZeroToOneIsRefusedNamingTheField() {
        for (double bad : new double[]{1.5, -1, Double.NaN}) {
            fixture.givenNoPriorActivity()
                    .when(new ChangeAssistantSettings(ID, threshold(bad)), ADMIN)
                    .expectNoEvents()
                    .expectException(onField("confidence_threshold"));
        }
    }

    @Test
    void unknownToolsIntentsAndActionsAreRefusedWithTheirPath() {
        assertRefused(new SettingsPatch(null, null, null, List.of("create_ticket", "drop_database"), null, null, null),
                "allowed_tools[1]");
        assertRefused(new SettingsPatch(null, null, null, null,
                List.of(EscalationRule.onIntents("billing"), EscalationRule.onIntents("gossip")), null, null),
                "escalation_rules[1].match.intents[0]");
        assertRefused(new SettingsPatch(null, null, null, null,
                List.of(new EscalationRule(new EscalationRule.Match(List.of(), List.of()), "handoff")), null, null),
                "escalation_rules[0].match");
        assertRefused(new SettingsPatch(null, null, null, null,
                List.of(new EscalationRule(new EscalationRule.Match(List.of("billing"), List.of()), "ignore")), null, null),
                "escalation_rules[0].action");
        assertRefused(new SettingsPatch(null, null, null, null, null, "everything", null), "log_content");
        assertRefused(new SettingsPatch(null, null, null, null, null, null, Map.of("weather", List.of("city"))),
                "required_fields.weather");
        assertRefused(new SettingsPatch(null, null, null, null, null, null, Map.of("billing", List.of("Policy Number"))),
                "required_fields.billing[0]");
    }

    private void assertRefused(SettingsPatch patch, String field) {
        fixture.givenNoPriorActivity()
                .when(new ChangeAssistantSettings(ID, patch), ADMIN)
                .expectNoEvents()
                .expectException(onField(field));
    }

    private static Matcher<InvalidCommandException> onField(String field) {
        return new FeatureMatcher<>(Matchers.equalTo(field), "refused field", "field") {
            @Override
            protected String featureValueOf(InvalidCommandException refused) {
                return refused.field();
            }
        };
    }

    @Test
    void keywordsAreTrimmedAndLowercasedAndToolsDeduplicated() {
        SettingsPatch patch = new SettingsPatch(null, null, null, List.of("create_ticket", "create_ticket"),
                List.of(EscalationRule.onKeywords("  Lawyer ")), null, Map.of("billing", List.of("policy_number")));
        AssistantSettingsValues after = SettingsRules.apply(AssistantSettingsValues.defaults(), patch);
        assertThat(after.allowedTools()).containsExactly("create_ticket");
        assertThat(after.escalationRules().get(0).match().keywords()).containsExactly("lawyer");
        assertThat(after.requiredFields()).containsEntry("billing", List.of("policy_number"));
    }

    @Test
    void anotherTenantsSettingsAreNotFound() {
        fixture.given(new AssistantSettingsChanged(ID, "acme", 1, defaultsWith(0.8, true), List.of(), "ana"))
                .when(new ChangeAssistantSettings(ID, threshold(0.1)),
                        MetaData.with(MetadataKeys.TENANT_ID, "globex").and(MetadataKeys.USER_ID, "mallory"))
                .expectNoEvents()
                .expectException(NotFoundException.class);
    }

    @Test
    void aCommandWithoutTenantOrUserIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAssistantSettings(ID, threshold(0.5)), MetaData.with(MetadataKeys.USER_ID, "ana"))
                .expectNoEvents()
                .expectException(MissingTenantException.class);
        fixture.givenNoPriorActivity()
                .when(new ChangeAssistantSettings(ID, threshold(0.5)), MetaData.with(MetadataKeys.TENANT_ID, "acme"))
                .expectNoEvents()
                .expectException(IllegalStateException.class);
    }
}
