package io.aidesk.app.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.aidesk.api.Text;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What clients send is read strictly: a duplicate key, content after the value, a fraction where an integer is due, a
 * null inside a list or map, a NUL or half a surrogate pair in a string are 400s naming the field. Only the HTTP
 * reader is strict; AI Desk's own stored JSON and the models' answers keep the primary mapper.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonConfig {

    /** Text Jackson read that cannot be stored or read back as text; the problem names its field. */
    public static final class UnsafeTextException extends MismatchedInputException {
        UnsafeTextException(JsonParser parser, String detail) {
            super(parser, detail, String.class);
        }
    }

    /** Replaces Boot's JSON converter (it backs off when one is declared), over a strict copy of the HTTP mapper. */
    @Bean
    MappingJackson2HttpMessageConverter mappingJackson2HttpMessageConverter(ObjectMapper objectMapper) {
        ObjectMapper strict = objectMapper.copy()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .registerModule(new SimpleModule("safe-text")
                        .addDeserializer(String.class, new SafeText())
                        .addKeyDeserializer(String.class, new SafeKey()));
        strict.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return new MappingJackson2HttpMessageConverter(strict) {
            @Override
            public Object read(Type type, Class<?> contextClass, HttpInputMessage input) throws IOException {
                return super.read(type, contextClass, utf8(input));
            }

            @Override
            protected Object readInternal(Class<?> clazz, HttpInputMessage input) throws IOException {
                return super.readInternal(clazz, utf8(input));
            }
        };
    }

    /**
     * The body, refused unless it is well-formed UTF-8: Jackson decodes an overlong form (C0 AF) as the character it
     * hides ('/'), which would let a byte sequence no client means slip past every check on the text.
     */
    private static HttpInputMessage utf8(HttpInputMessage input) throws IOException {
        byte[] body = input.getBody().readAllBytes();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new HttpMessageNotReadableException("the body is not well-formed UTF-8", new NotUtf8Exception(), input);
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }

    /** A body whose bytes are not UTF-8; the problem says so. */
    public static final class NotUtf8Exception extends IOException {
        NotUtf8Exception() {
            super("the body is not well-formed UTF-8 (an invalid, overlong or truncated byte sequence); send it as UTF-8");
        }
    }

    private static final class SafeText extends StdScalarDeserializer<String> {
        SafeText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null) {
                check(parser, text);
            }
            return text;
        }
    }

    private static final class SafeKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            check(context.getParser(), key);
            return key;
        }
    }

    private static void check(JsonParser parser, String text) throws UnsafeTextException {
        var unsafe = Text.unsafe(text);
        if (unsafe.isPresent()) {
            throw new UnsafeTextException(parser, "the text " + unsafe.get());
        }
    }
}
