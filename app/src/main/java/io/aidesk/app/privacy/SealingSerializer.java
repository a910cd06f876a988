package io.aidesk.app.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

import java.nio.charset.StandardCharsets;

/**
 * The events' serializer: Axon's own (Jackson) around a {@link Sealer}. Serializing seals each personal value of an
 * event with its contact's key; deserializing opens every sealed value, whatever field it is in, so every reader of
 * the event store (aggregates, processors, sagas, replays) gets the plaintext, or {@code [erased]} once the contact's
 * key is destroyed. Only the type's personal paths are opened; payloads with nothing to seal or open, and metadata, go
 * straight through.
 */
final class SealingSerializer implements Serializer {
    private static final byte[] MARK = Sealer.PREFIX.getBytes(StandardCharsets.UTF_8);

    private final Serializer delegate;
    private final Sealer sealer;

    SealingSerializer(Serializer delegate, Sealer sealer) {
        this.delegate = delegate;
        this.sealer = sealer;
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (object == null || !Sealer.concerns(object.getClass())) {
            return delegate.serialize(object, expectedRepresentation);
        }
        SerializedObject<JsonNode> tree = delegate.serialize(object, JsonNode.class);
        sealer.seal(object.getClass(), tree.getData());
        T data = getConverter().convert(tree.getData(), JsonNode.class, expectedRepresentation);
        return new SimpleSerializedObject<>(data, expectedRepresentation, tree.getType());
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        if (serializedObject == null || SerializedType.isEmptyType(serializedObject.getType())
                || !mayBeSealed(serializedObject.getData())) {
            return delegate.deserialize(serializedObject);
        }
        Class<?> type = delegate.classForType(serializedObject.getType());
        if (PersonalDataPaths.of(type).isEmpty()) {
            return delegate.deserialize(serializedObject); // metadata, and events without personal data
        }
        JsonNode tree = getConverter().convert(serializedObject.getData(), serializedObject.getContentType(),
                JsonNode.class);
        JsonNode tenant = tree.get(Sealer.TENANT);
        JsonNode opened = sealer.open(type, tree, tenant != null && tenant.isTextual() ? tenant.textValue() : null);
        return delegate.deserialize(new SimpleSerializedObject<>(opened, JsonNode.class, serializedObject.getType()));
    }

    /** A quick look at the stored bytes: only a payload that holds the prefix needs opening. */
    private static boolean mayBeSealed(Object data) {
        if (data instanceof byte[] bytes) {
            return indexOf(bytes, MARK) >= 0;
        }
        if (data instanceof String text) {
            return text.contains(Sealer.PREFIX);
        }
        return data instanceof JsonNode;
    }

    private static int indexOf(byte[] data, byte[] mark) {
        outer:
        for (int i = 0; i <= data.length - mark.length; i++) {
            for (int j = 0; j < mark.length; j++) {
                if (data[i + j] != mark[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        return delegate.classForType(type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(Class type) {
        return delegate.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }
}
