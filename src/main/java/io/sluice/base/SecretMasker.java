package io.sluice.base;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in link definitions and messages: values of keys that name a password, secret, token, access key
 * or credential, in YAML/JSON structures and as {@code key=value} pairs inside URIs and text.
 */
public final class SecretMasker {

    public static final String MASK = "******";

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|accesskey|access-key|access_key|credential|sasljaasconfig"
                    + "|sasl\\.jaas\\.config|apikey|api-key|privatekey).*");
    /** key=value in a URI query or free text; the value runs to the next separator. */
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)([\\w.\\-]*(?:password|passwd|pwd|secret|token|accesskey|access-key|access_key|credential"
                    + "|sasljaasconfig|apikey|privatekey)[\\w.\\-]*)(\\s*=\\s*|:\\s?)(?!\\*{6})"
                    // MySQL's "(using password: YES)" says whether one was sent, not what it was: keep it
                    + "(?!(?:YES|NO)\\))"
                    + "(\"[^\"]*\"|'[^']*'|[^&\\s,;\"'})]+)");
    /** user:password@ in a URL. */
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@\\s]+:)[^@/\\s]*@");

    private SecretMasker() {
    }

    public static boolean isSecretKey(String key) {
        return key != null && SECRET_KEY.matcher(key).matches();
    }

    /**
     * Masks key=value and key: value pairs whose key names a secret, and the password of user:password@ in URLs.
     * Placeholders ({{...}}, ${...}) are kept.
     */
    public static String maskText(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SECRET_PAIR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(3);
            String replacement = value.startsWith("{{") || value.startsWith("${") ? m.group() : m.group(1) + m.group(2) + MASK;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return URL_USERINFO.matcher(out).replaceAll("$1" + MASK + "@");
    }

    /**
     * {@code text} with each of the {@code secrets} (values known to be secret, e.g. a data source's AccessKey
     * secret) masked wherever it appears; nothing else is changed.
     */
    public static String maskValues(String text, String... secrets) {
        String out = text;
        for (String secret : secrets) {
            if (out != null && secret != null && !secret.isEmpty()) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** A copy of a parsed YAML/JSON structure with secret values masked. */
    public static Object maskStructure(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                boolean placeholder = v instanceof String s && (s.startsWith("{{") || s.startsWith("${"));
                copy.put(key, isSecretKey(key) && v != null && !(v instanceof Map || v instanceof List) && !placeholder
                        ? MASK : maskStructure(v));
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(SecretMasker::maskStructure).toList();
        }
        if (node instanceof String s) {
            return maskText(s);
        }
        return node;
    }

    /**
     * {@code given} (a structure that may carry masks, e.g. a definition read back from the API) with each masked value
     * replaced by {@code original}'s value at the same place, where masking that value gives exactly what is there:
     * a secret option shown as {@link #MASK}, or a text (a URI's password=..., a user:password@) masked by
     * {@link #maskText}. Anything the user changed is kept as given.
     */
    public static Object restoreMasked(Object given, Object original) {
        if (given instanceof Map<?, ?> map && original instanceof Map<?, ?> was) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                Object before = was.get(k);
                boolean maskedOption = isSecretKey(key) && MASK.equals(v) && before != null
                        && !(before instanceof Map || before instanceof List);
                copy.put(key, maskedOption ? before : restoreMasked(v, before));
            });
            return copy;
        }
        if (given instanceof List<?> list && original instanceof List<?> was) {
            List<Object> copy = new java.util.ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                copy.add(restoreMasked(list.get(i), i < was.size() ? was.get(i) : null));
            }
            return copy;
        }
        // a text with a secret inside (a URI's password=...): restored only where masking the original gives it exactly
        if (given instanceof String s && s.contains(MASK) && original instanceof String was
                && !was.equals(maskText(was)) && s.equals(maskText(was))) {
            return was;
        }
        return given;
    }
}
