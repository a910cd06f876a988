package io.aidesk.seed;

import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.app.ApiTest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** `./aidesk run` seeds on every start: the second time must record nothing new. */
class DemoSeederTest extends ApiTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    private long events() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier IN (?, ?)",
                Long.class, AssistantSettingsId.of(DemoTenant.ALL.get(0).id()), AssistantSettingsId.of(DemoTenant.ALL.get(1).id()));
    }

    @Test
    void seedingTwiceChangesNothingTheSecondTime() {
        DemoSeeder seeder = new DemoSeeder(commands);

        seeder.run(new DefaultApplicationArguments());
        long afterFirst = events();
        seeder.run(new DefaultApplicationArguments());

        assertThat(afterFirst).isEqualTo(DemoTenant.ALL.size());
        assertThat(events()).isEqualTo(afterFirst);
    }
}
