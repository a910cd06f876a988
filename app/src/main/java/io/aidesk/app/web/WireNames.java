package io.aidesk.app.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.aidesk.api.decision.CustomerNeed;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.util.Locale;

/** The API writes a customer need as its snake_case wire name ("problem_report"), as the labelled data does. */
@Configuration(proxyBeanMethods = false)
class WireNames {
    @Bean
    SimpleModule customerNeedWireNames() {
        SimpleModule module = new SimpleModule("customer-need-wire-names");
        module.addSerializer(CustomerNeed.class, new JsonSerializer<>() {
            @Override
            public void serialize(CustomerNeed need, JsonGenerator out, SerializerProvider serializers) throws IOException {
                out.writeString(need.wire());
            }
        });
        module.addDeserializer(CustomerNeed.class, new JsonDeserializer<>() {
            @Override
            public CustomerNeed deserialize(JsonParser in, DeserializationContext context) throws IOException {
                return CustomerNeed.of(in.getValueAsString().toLowerCase(Locale.ROOT));
            }
        });
        return module;
    }
}
