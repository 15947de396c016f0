// Kafka's own transforms' records per second, for bench/transforms.ts: run as a single-file Java
// program on the transform oracle's classpath (test/oracle/kafka-transforms/pom.xml). Reads one
// JSON document on stdin: {"rounds", "sliceMs", "records": {"schema": [...], "schemaless":
// [...]} (the oracle's record shape: JsonConverter envelopes), "cases": [{"records": "schema" or
// "schemaless", "prepare": [{"type", "config"}], "steps": [{"type", "config"}]}]}. The records
// become SinkRecords once (partition 0, offset = index) and go through the case's prepare steps,
// untimed; then each case runs its steps in order as Kafka's TransformationChain does, and no
// steps means the cheapest copy there is (newRecord with the same fields), the baseline. Cases run in turns for
// about sliceMs each, after one warm-up turn; prints a JSON array, per case the median
// {"perSecond"} or {"error"}.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

public class TransformBench {
  // Where results go so that the JIT cannot drop the work.
  static long sink;

  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode input = mapper.readTree(System.in);
    int rounds = input.get("rounds").asInt();
    long sliceNanos = input.get("sliceMs").asLong() * 1_000_000L;
    Map<String, List<SinkRecord>> records = new HashMap<>();
    input.get("records").fields().forEachRemaining(e -> records.put(e.getKey(), sinkRecords(e.getValue())));

    List<List<Transformation<SinkRecord>>> chains = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<List<SinkRecord>> inputs = new ArrayList<>();
    for (JsonNode c : input.get("cases")) {
      List<Transformation<SinkRecord>> chain = new ArrayList<>();
      List<SinkRecord> caseRecords = records.get(c.get("records").asText());
      String error = null;
      try {
        List<Transformation<SinkRecord>> prepare = transforms(mapper, c.get("prepare"));
        if (!prepare.isEmpty()) {
          List<SinkRecord> prepared = new ArrayList<>();
          for (SinkRecord r : caseRecords) {
            SinkRecord out = apply(prepare, r);
            if (out != null) prepared.add(out);
          }
          caseRecords = prepared;
        }
        chain = transforms(mapper, c.get("steps"));
        run(chain, caseRecords);
      } catch (Exception e) {
        error = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      chains.add(chain);
      errors.add(error);
      inputs.add(caseRecords);
    }

    List<List<Double>> samples = new ArrayList<>();
    for (int i = 0; i < chains.size(); i++) samples.add(new ArrayList<>());
    for (int round = -1; round < rounds; round++) {
      for (int i = 0; i < chains.size(); i++) {
        if (errors.get(i) != null) continue;
        double rate = measure(chains.get(i), inputs.get(i), sliceNanos);
        if (round >= 0) samples.get(i).add(rate);
      }
    }

    ArrayNode out = mapper.createArrayNode();
    for (int i = 0; i < chains.size(); i++) {
      ObjectNode answer = out.addObject();
      if (errors.get(i) != null) {
        answer.put("error", errors.get(i));
        continue;
      }
      List<Double> s = samples.get(i);
      Collections.sort(s);
      answer.put("perSecond", s.get(s.size() / 2));
    }
    System.out.println(out);
    System.err.println("checksum " + sink);
  }

  private static double measure(List<Transformation<SinkRecord>> chain, List<SinkRecord> records, long sliceNanos) {
    long done = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      run(chain, records);
      done += records.size();
      elapsed = System.nanoTime() - start;
    } while (elapsed < sliceNanos);
    return done * 1e9 / elapsed;
  }

  private static List<Transformation<SinkRecord>> transforms(ObjectMapper mapper, JsonNode steps) throws Exception {
    List<Transformation<SinkRecord>> chain = new ArrayList<>();
    for (JsonNode step : steps) {
      @SuppressWarnings("unchecked")
      Transformation<SinkRecord> t = (Transformation<SinkRecord>)
          Class.forName(step.get("type").asText()).getDeclaredConstructor().newInstance();
      t.configure(mapper.convertValue(step.get("config"), Map.class));
      chain.add(t);
    }
    return chain;
  }

  private static SinkRecord apply(List<Transformation<SinkRecord>> chain, SinkRecord record) {
    if (chain.isEmpty()) {
      return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
          record.valueSchema(), record.value(), record.timestamp());
    }
    SinkRecord current = record;
    for (Transformation<SinkRecord> t : chain) {
      current = t.apply(current);
      if (current == null) return null;
    }
    return current;
  }

  private static void run(List<Transformation<SinkRecord>> chain, List<SinkRecord> records) {
    for (SinkRecord record : records) {
      SinkRecord out = apply(chain, record);
      if (out != null) sink += out.topic().length();
    }
  }

  private static List<SinkRecord> sinkRecords(JsonNode list) {
    JsonConverter keys = converter(true);
    JsonConverter values = converter(false);
    List<SinkRecord> out = new ArrayList<>();
    long offset = 0;
    for (JsonNode r : list) {
      String topic = r.get("topic").asText();
      SchemaAndValue key = read(keys, topic, r.get("key"));
      SchemaAndValue value = read(values, topic, r.get("value"));
      ConnectHeaders headers = new ConnectHeaders();
      for (JsonNode h : r.get("headers")) headers.addString(h.get(0).asText(), h.get(1).asText());
      out.add(new SinkRecord(topic, 0, key.schema(), key.value(), value.schema(), value.value(), offset++,
          r.get("timestamp").asLong(), TimestampType.CREATE_TIME, headers));
    }
    return out;
  }

  private static JsonConverter converter(boolean isKey) {
    JsonConverter converter = new JsonConverter();
    Map<String, String> config = new HashMap<>();
    config.put("schemas.enable", "true");
    converter.configure(config, isKey);
    return converter;
  }

  private static SchemaAndValue read(JsonConverter converter, String topic, JsonNode envelope) {
    if (envelope == null || envelope.isNull()) return SchemaAndValue.NULL;
    return converter.toConnectData(topic, envelope.toString().getBytes(StandardCharsets.UTF_8));
  }
}
