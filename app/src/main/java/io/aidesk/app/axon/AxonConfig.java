package io.aidesk.app.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.app.rebuild.ReadModelRebuild;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;

/** Axon on Postgres (DESIGN §7): snake_case JDBC schemas, Jackson everywhere, tenant and origin in every message. */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {
    static {
        // the JDBC store keeps timestamps to the millisecond: live handlers must see what a replay will see
        GenericEventMessage.clock = Clock.tickMillis(ZoneOffset.UTC);
    }

    @Bean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /** Axon's own token store, but with a node id per application context, not per JVM. */
    @Bean
    public TokenStore tokenStore(ConnectionProvider connections, Serializer serializer, TokenSchema schema,
                                 TokenStoreProperties properties) {
        // two contexts in one JVM (the test suite does this) would otherwise both own every segment they claim
        String nodeId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        return JdbcTokenStore.builder().connectionProvider(connections).schema(schema).serializer(serializer)
                .claimTimeout(properties.getClaimTimeout()).nodeId(nodeId).build();
    }

    @Bean
    public SagaSqlSchema sagaSqlSchema() {
        return new PostgresSagaSqlSchema(SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .revisionColumn("revision")
                .serializedSagaColumn("serialized_saga")
                .sagaIdColumn("saga_id")
                .sagaTypeColumn("saga_type")
                .associationValueEntryTable("association_value_entry")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .build());
    }

    @Bean
    public DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /**
     * The autopilot's processors: a call that failed to run is retried rather than skipped (the executor's idempotency
     * key makes the retry safe), and the trigger answers messages posted from now on, not every message ever posted.
     * The audit chain retries too: an event it skipped would be missing from its tenant's chain for good.
     */
    @Autowired
    void autopilotProcessing(EventProcessingConfigurer processing) {
        processing.registerListenerInvocationErrorHandler("tool-calls", configuration -> PropagatingErrorHandler.instance());
        processing.registerListenerInvocationErrorHandler("audit-chain", configuration -> PropagatingErrorHandler.instance());
        // a read model that cannot take an event fails the command (and a rebuild) rather than fall behind the events
        ReadModelRebuild.PROJECTIONS.forEach(group -> processing.registerListenerInvocationErrorHandler(group,
                configuration -> PropagatingErrorHandler.instance()));
        // the webhook outbox queues what is stored from its first start on, and never skips an event it failed on
        processing.registerListenerInvocationErrorHandler("webhooks", configuration -> PropagatingErrorHandler.instance());
        processing.registerTrackingEventProcessorConfiguration("webhooks", configuration ->
                TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken));
        // a replay's job is scheduled once, from the first start on: a replay never scheduled would never end
        processing.registerListenerInvocationErrorHandler("replay-jobs", configuration -> PropagatingErrorHandler.instance());
        processing.registerTrackingEventProcessorConfiguration("replay-jobs", configuration ->
                TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken));
        processing.registerTrackingEventProcessorConfiguration("autopilot-trigger", configuration ->
                TrackingEventProcessorConfiguration.forParallelProcessing(2)
                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken));
    }

    /** Declaring our own providers drops Axon's default, so the origin provider is declared again. */
    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider(MetadataKeys.CAUSATION_ID, MetadataKeys.CORRELATION_ID);
    }

    @Bean
    public CorrelationDataProvider tenantAndUserProvider() {
        return new SimpleCorrelationDataProvider(MetadataKeys.TENANT_ID, MetadataKeys.USER_ID);
    }

    /** The mapper for stored events, tokens and sagas: camelCase, lenient, independent of the HTTP API's. */
    @Bean
    public ObjectMapper defaultAxonObjectMapper() {
        return JsonMapper.builder()
                .findAndAddModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .build();
    }

    /**
     * A second ObjectMapper bean switches Boot's off, so the HTTP mapper (spring.jackson.*) is declared here. A number
     * or a boolean where the API expects text is the client's mistake, not text: a 400 naming the field.
     */
    @Bean
    @Primary
    public ObjectMapper objectMapper(Jackson2ObjectMapperBuilder builder) {
        ObjectMapper mapper = builder.build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
