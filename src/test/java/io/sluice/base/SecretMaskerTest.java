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
}
