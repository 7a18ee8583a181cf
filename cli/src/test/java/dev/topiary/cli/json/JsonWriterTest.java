package dev.topiary.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

  @Test
  void writesNestedObjectsAndArraysWithCommas() {
    String s = new JsonWriter().beginObject()
        .field("a", 1)
        .name("b").beginArray().value(1.5).value("x").value(true).nullValue().endArray()
        .name("c").beginObject().field("d", "e").endObject()
        .field("f", false)
        .endObject().toString();
    assertEquals("{\"a\":1,\"b\":[1.5,\"x\",true,null],\"c\":{\"d\":\"e\"},\"f\":false}", s);
    Map<String, Object> m = MiniJson.parseObject(s);
    assertEquals(List.of(1.5, "x", true), ((List<?>) m.get("b")).subList(0, 3));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    String tricky = "say \"hi\"\\ \n\t\u0001 é";
    String s = new JsonWriter().beginObject().field("s", tricky).endObject().toString();
    assertEquals(tricky, MiniJson.parseObject(s).get("s"));
  }

  @Test
  void writesNonFiniteNumbersAsNull() {
    String s = new JsonWriter().beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY)
        .value(1e-300).endArray().toString();
    assertEquals("[null,null,1.0E-300]", s);
    assertEquals(3, ((List<?>) MiniJson.parse(s)).size());
  }

  @Test
  void refusesMalformedDocuments() {
    assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value(1));
    assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
    assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().endObject());
    assertThrows(IllegalStateException.class, () -> new JsonWriter().value(1).value(2));
    assertThrows(IllegalStateException.class,
        () -> new JsonWriter().beginObject().name("a").name("b"));
  }
}
