package io.sluice.link;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which of the seeds' links a link is, from its source and sink components; the console picks its views by it. */
public enum LinkKind {
    SLS_TO_ADB("sls-to-adb"),
    KAFKA_TO_ADB("kafka-to-adb"),
    MYSQL_TO_KAFKA("mysql-to-kafka"),
    MYSQL_TO_MAXCOMPUTE("mysql-to-maxcompute"),
    OTHER("other");

    private final String label;

    LinkKind(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** The kind of a link reading {@code sourceUri} and writing {@code sinkUri} (endpoint URIs, kamelets or not). */
    public static LinkKind of(String sourceUri, String sinkUri) {
        String from = component(sourceUri);
        String to = component(sinkUri);
        return switch (from + ">" + to) {
            case "sls>adb" -> SLS_TO_ADB;
            case "kafka-json>adb" -> KAFKA_TO_ADB;
            case "mysql-binlog>kafka-change" -> MYSQL_TO_KAFKA;
            case "mysql-binlog>maxcompute" -> MYSQL_TO_MAXCOMPUTE;
            default -> OTHER;
        };
    }

    /** The component of a URI; a kamelet of this project counts as its component (kafka-json-source: kafka-json). */
    public static String component(String uri) {
        if (uri == null) {
            return "";
        }
        String[] parts = uri.split("[:?]", 3);
        if (!parts[0].equals("kamelet") || parts.length < 2) {
            return parts[0];
        }
        return parts[1].replaceFirst("/.*", "").replaceFirst("-(source|sink)$", "");
    }
}
