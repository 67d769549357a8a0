package io.sluice.base;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecretMaskerTest {

    @Test
    void masksSecretKeysAndUriOptionsButKeepsPlaceholders() {
        assertEquals("jdbc:mariadb://h/db?user=u&password=******&x=1",
                SecretMasker.maskText("jdbc:mariadb://h/db?user=u&password=hunter2&x=1"));
        assertEquals("sls:p?accessKeySecret=******", SecretMasker.maskText("sls:p?accessKeySecret=abc/def+g"));
        assertEquals("password={{db.password}}", SecretMasker.maskText("password={{db.password}}"));
        assertEquals("refused key ****** of tokens: x", SecretMasker.maskValues("refused key s3cr3t of tokens: x", "s3cr3t", null, ""),
                "a known secret value is masked, nothing else");
        Object masked = SecretMasker.maskStructure(Map.of("route", Map.of("parameters",
                Map.of("password", "hunter2", "accessKeyId", "LTAI", "topic", "t", "list", List.of("password=x")))));
        assertEquals(Map.of("route", Map.of("parameters",
                Map.of("password", "******", "accessKeyId", "******", "topic", "t", "list", List.of("password=******")))), masked);
    }

    @Test
    void restoresMaskedValuesFromTheOriginalButKeepsWhatWasChanged() {
        Map<String, Object> original = Map.of("route", Map.of("uri", "jdbc:x?user=u&password=hunter2",
                "parameters", Map.of("password", "hunter2", "topic", "t")));
        Object shown = SecretMasker.maskStructure(original);
        assertEquals(original, SecretMasker.restoreMasked(shown, original), "what the API showed, sent back unchanged");
        Map<String, Object> edited = Map.of("route", Map.of("uri", "jdbc:y?user=u&password=******",
                "parameters", Map.of("password", "new-one", "topic", "******")));
        assertEquals(edited, SecretMasker.restoreMasked(edited, original),
                "a changed URI, a typed password and a mask where no secret was are kept as given");
    }
}
