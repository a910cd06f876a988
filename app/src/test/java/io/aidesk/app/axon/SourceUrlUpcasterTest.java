package io.aidesk.app.axon;

import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.UrlCredentials;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Knowledge events stored with credentials in their url read without them. */
class SourceUrlUpcasterTest {
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    private IntermediateEventRepresentation stored(Class<?> type, String json, String revision) {
        return new InitialEventRepresentation(new GenericDomainEventEntry<>("KnowledgeSource", "s-1", 0, "e-1",
                Instant.parse("2026-11-01T10:00:00Z"), type.getName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)), serializer);
    }

    @Test
    void aFirstRevisionSourceRegisteredLosesItsUserinfo() {
        String before = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"type\":\"url\","
                + "\"url\":\"https://ana:hunter2@help.acme.test/docs?x=1\"}";

        List<IntermediateEventRepresentation> upcast = new SourceUrlUpcaster()
                .upcast(Stream.of(stored(SourceRegistered.class, before, null))).toList();

        assertThat(upcast).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo("2");
            SourceRegistered read = serializer.deserialize(event.getData());
            assertThat(read.url()).isEqualTo("https://help.acme.test/docs?x=1");
        });
    }

    @Test
    void aFirstRevisionSyncRequestedLosesItsUserinfoAndAFileSourceIsLeftAsItIs() {
        String url = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"syncId\":\"y-1\",\"type\":\"url\","
                + "\"url\":\"http://ana:p%40ss@127.0.0.1:8080/\"}";
        String file = "{\"sourceId\":\"s-2\",\"tenantId\":\"acme\",\"syncId\":\"y-2\",\"type\":\"file\",\"fileId\":\"f-1\"}";

        List<SyncRequested> read = new SourceUrlUpcaster()
                .upcast(Stream.of(stored(SyncRequested.class, url, null), stored(SyncRequested.class, file, null)))
                .map(event -> (SyncRequested) serializer.deserialize(event.getData())).toList();

        assertThat(read).extracting(SyncRequested::url).containsExactly("http://127.0.0.1:8080/", null);
    }

    @Test
    void userinfoIsSplitOffAndMaskedForReaders() {
        UrlCredentials.Split split = UrlCredentials.split(" https://ana%40acme:p%3Ass:w@help.acme.test:8443/a?b=c@d ");

        assertThat(split.url()).isEqualTo("https://help.acme.test:8443/a?b=c@d");
        assertThat(split.credentials()).isEqualTo(new UrlCredentials("ana@acme", "p:ss:w"));
        assertThat(split.toString() + split.credentials()).doesNotContain("p:ss:w").doesNotContain("p%3Ass");
        assertThat(UrlCredentials.split("https://help.acme.test/").credentials()).isNull();
        assertThat(UrlCredentials.masked("not a url: ftp://ana:hunter2@host/x and http://h/?q=a@b"))
                .isEqualTo("not a url: ftp://ana:***@host/x and http://h/?q=a@b");
        assertThat(UrlCredentials.withoutUserInfo("https://ana:hunter2@help.acme.test/")).isEqualTo("https://help.acme.test/");
    }
}
