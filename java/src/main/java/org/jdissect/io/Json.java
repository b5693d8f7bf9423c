package org.jdissect.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.jdissect.JdissectException;

/**
 * The one JSON configuration of jdissect's files: written indented, two spaces, fields in declaration order (records
 * are serialised in their component order), names in snake_case ({@code maxActivation} is {@code max_activation});
 * read leniently about fields a newer version added. Every file is written atomically ({@link AtomicFiles}).
 */
public final class Json {
    /** Thread-safe once configured, as Jackson's mappers are; shared by every reader and writer. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** The shared mapper, for tree reading and conversions. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Writes {@code value} as indented JSON to {@code file}, atomically. */
    public static void write(Path file, Object value) {
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, value));
    }

    /** {@code value} as indented JSON text. */
    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code file} as a {@code type}; a missing, unreadable or malformed file is a user error naming the file
     * and what is wrong.
     */
    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new JdissectException("missing " + file);
        }
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new JdissectException("cannot read " + file + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** {@code text} as a JSON tree. */
    public static JsonNode tree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** Reads {@code file} as a JSON tree, with the same errors as {@link #read}. */
    public static JsonNode tree(Path file) {
        return read(file, JsonNode.class);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
