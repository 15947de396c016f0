// Kafka's own transforms as the oracle of ours (test/integration/transforms-oracle.test.ts).
// Reads one JSON case per line on stdin: {"type": transform class, "config": {...}, "predicate":
// optional {"type", "config"}, "negate": optional boolean, "records": [{"topic", "timestamp",
// "key": JsonConverter envelope or null, "value": envelope or null, "headers": [[key, string]]}]}.
// Each record goes through Kafka's JsonConverter (schemas.enable=true) into a SinkRecord (its
// headers string headers), then the transform where the predicate lets it, as Kafka's
// TransformationChain does; the answer line has one entry per record: {"topic", "key", "value",
// "headers"} (the JsonConverter's bytes as text; each header [key, the SimpleHeaderConverter's
// text or null]), {"dropped": true}, or {"error": exception class and message}; a config the
// transform or predicate refuses answers {"configError": ...} for the whole case.
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
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

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
      Predicate<SinkRecord> predicate = null;
      boolean negate = testCase.has("negate") && testCase.get("negate").asBoolean();
      try {
        transform = newInstance(testCase.get("type").asText());
        transform.configure(mapper.convertValue(testCase.get("config"), Map.class));
        JsonNode predicateCase = testCase.get("predicate");
        if (predicateCase != null && !predicateCase.isNull()) {
          predicate = newInstance(predicateCase.get("type").asText());
          predicate.configure(mapper.convertValue(predicateCase.get("config"), Map.class));
        }
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
          ConnectHeaders headers = new ConnectHeaders();
          JsonNode given = record.get("headers");
          if (given != null) for (JsonNode h : given) headers.addString(h.get(0).asText(), h.get(1).asText());
          SinkRecord sink = new SinkRecord(topic, 0, key.schema(), key.value(), value.schema(), value.value(),
              offset++, record.get("timestamp").asLong(), org.apache.kafka.common.record.TimestampType.CREATE_TIME,
              headers);
          boolean applies = predicate == null || predicate.test(sink) != negate;
          SinkRecord result = applies ? transform.apply(sink) : sink;
          if (result == null) {
            answer.put("dropped", true);
            continue;
          }
          answer.put("topic", result.topic());
          answer.set("key", write(mapper, keys, result.topic(), result.keySchema(), result.key()));
          answer.set("value", write(mapper, values, result.topic(), result.valueSchema(), result.value()));
          ArrayNode headerList = answer.putArray("headers");
          for (Header h : result.headers()) {
            byte[] bytes = HEADERS.fromConnectHeader(result.topic(), h.key(), h.schema(), h.value());
            ArrayNode pair = headerList.addArray();
            pair.add(h.key());
            if (bytes == null) pair.addNull(); else pair.add(new String(bytes, StandardCharsets.UTF_8));
          }
        } catch (Exception e) {
          answer.removeAll();
          answer.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      transform.close();
      if (predicate != null) predicate.close();
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

  private static final SimpleHeaderConverter HEADERS = new SimpleHeaderConverter();

  @SuppressWarnings("unchecked")
  private static <T> T newInstance(String type) throws Exception {
    return (T) Class.forName(type).getDeclaredConstructor().newInstance();
  }

  private static SchemaAndValue read(JsonConverter converter, String topic, JsonNode envelope) {
    if (envelope == null || envelope.isNull()) return SchemaAndValue.NULL;
    return converter.toConnectData(topic, envelope.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode write(ObjectMapper mapper, JsonConverter converter, String topic,
      Schema schema, Object value) throws Exception {
    // The converter's exact bytes, as text: compared byte for byte with ours.
    byte[] bytes = converter.fromConnectData(topic, schema, value);
    return bytes == null ? mapper.nullNode() : mapper.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
  }
}
