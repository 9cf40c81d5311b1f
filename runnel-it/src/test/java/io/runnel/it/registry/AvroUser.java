package io.runnel.it.registry;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A SpecificRecord as Avro's code generator writes one (static SCHEMA$, positional get and put), for SerdesTest. */
public class AvroUser extends SpecificRecordBase {
    public static final Schema SCHEMA$ = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"AvroUser\","
            + "\"namespace\":\"io.runnel.it.registry\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"age\",\"type\":\"int\"}]}");
    private CharSequence name;
    private int age;

    public AvroUser() {
    }

    public AvroUser(String name, int age) {
        this.name = name;
        this.age = age;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return field == 0 ? name : age;
    }

    @Override
    public void put(int field, Object value) {
        if (field == 0) {
            name = (CharSequence) value;
        } else {
            age = (Integer) value;
        }
    }

    @Override
    public String toString() {
        return name + " " + age;
    }
}
