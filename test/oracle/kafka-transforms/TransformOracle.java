// Kafka's own transforms as the oracle of ours (test/integration/transforms-oracle.test.ts).
// Reads one JSON case per line on stdin: {"type": transform class, "config": {...}, "records":
// [{"topic", "timestamp", "key": JsonConverter envelope or null, "value": envelope or null}]}.
// Each record goes through Kafka's JsonConverter (schemas.enable=true) into a SinkRecord, then
// the transform; the answer line has one entry per record: {"topic", "key", "value"} (the
// JsonConverter's bytes, as text), {"dropped": true}, or {"error": exception class and message};
// a config the transform refuses answers {"configError": ...} for the whole case.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

public class TransformOracle {
  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonConverter keys = converter(true);
    JsonConverter values = converter(false);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    for (String line; (line = in.readLine()) != null; ) {
      JsonNode testCase = mapper.readTree(line);
      ArrayNode answers = mapper.createArrayNode();
      Transformation<SinkRecord> transform;
      try {
        transform = newTransform(testCase.get("type").asText(), mapper.convertValue(testCase.get("config"), Map.class));
      } catch (Exception e) {
        ObjectNode refused = mapper.createObjectNode();
        refused.put("configError", e.getClass().getSimpleName() + ": " + e.getMessage());
        out.println(refused);
        continue;
      }
      long offset = 0;
      for (JsonNode record : testCase.get("records")) {
        ObjectNode answer = answers.addObject();
        try {
          String topic = record.get("topic").asText();
          SchemaAndValue key = read(keys, topic, record.get("key"));
          SchemaAndValue value = read(values, topic, record.get("value"));
          SinkRecord sink = new SinkRecord(topic, 0, key.schema(), key.value(), value.schema(), value.value(),
              offset++, record.get("timestamp").asLong(), org.apache.kafka.common.record.TimestampType.CREATE_TIME);
          SinkRecord result = transform.apply(sink);
          if (result == null) {
            answer.put("dropped", true);
            continue;
          }
          answer.put("topic", result.topic());
          answer.set("key", write(mapper, keys, result.topic(), result.keySchema(), result.key()));
          answer.set("value", write(mapper, values, result.topic(), result.valueSchema(), result.value()));
        } catch (Exception e) {
          answer.removeAll();
          answer.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      transform.close();
      out.println(answers);
    }
  }

  private static JsonConverter converter(boolean isKey) {
    JsonConverter converter = new JsonConverter();
    Map<String, String> config = new HashMap<>();
    config.put("schemas.enable", "true");
    converter.configure(config, isKey);
    return converter;
  }

  @SuppressWarnings("unchecked")
  private static Transformation<SinkRecord> newTransform(String type, Map<String, Object> config) throws Exception {
    Transformation<SinkRecord> transform =
        (Transformation<SinkRecord>) Class.forName(type).getDeclaredConstructor().newInstance();
    transform.configure(config);
    return transform;
  }

  private static SchemaAndValue read(JsonConverter converter, String topic, JsonNode envelope) {
    if (envelope == null || envelope.isNull()) return SchemaAndValue.NULL;
    return converter.toConnectData(topic, envelope.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode write(ObjectMapper mapper, JsonConverter converter, String topic,
      org.apache.kafka.connect.data.Schema schema, Object value) throws Exception {
    // The converter's exact bytes, as text: compared byte for byte with ours.
    byte[] bytes = converter.fromConnectData(topic, schema, value);
    return bytes == null ? mapper.nullNode() : mapper.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
  }
}
