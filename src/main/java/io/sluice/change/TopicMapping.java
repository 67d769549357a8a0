package io.sluice.change;

import java.util.Map;

/**
 * Which Kafka topic a change event goes to, as DTS's task settings say: one topic by default, a topic per table
 * where the link maps one ("object name mapping"), and optionally a separate topic for DDL.
 *
 * @param defaultTopic topic for everything not mapped
 * @param ddlTopic     "Topic That Stores DDL Information"; null to send DDL with the data
 * @param tableTopics  {@code database.table} -> topic
 */
public record TopicMapping(String defaultTopic, String ddlTopic, Map<String, String> tableTopics) {

    public TopicMapping {
        if (defaultTopic == null || defaultTopic.isBlank()) {
            throw new IllegalArgumentException("a topic is required");
        }
        tableTopics = Map.copyOf(tableTopics);
    }

    public static TopicMapping single(String topic) {
        return new TopicMapping(topic, null, Map.of());
    }

    public String topicFor(ChangeEvent event) {
        if (event.isDdl() && ddlTopic != null) {
            return ddlTopic;
        }
        return tableTopics.getOrDefault(event.database() + "." + event.table(), defaultTopic);
    }
}
