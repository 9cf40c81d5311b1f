package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** AddOffsetsToTxn: the group's offsets partition joins the transaction; a stale epoch is fenced. */
final class AddOffsetsToTxnScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public void run(Exchange x) throws Exception {
        TransactionalProducer producer = TransactionalProducer.init(x, "conformance-add-offsets-v" + x.version());
        assertEquals(Errors.NONE, addOffsets(x, producer, producer.epoch()));
        assertEquals(TransactionalProducer.fenced(x, 2), addOffsets(x, producer, (short) (producer.epoch() + 1)));
    }

    private static Errors addOffsets(Exchange x, TransactionalProducer producer, short epoch) throws Exception {
        AddOffsetsToTxnResponseData response = x.send(new AddOffsetsToTxnRequestData()
                .setTransactionalId(producer.transactionalId()).setProducerId(producer.producerId())
                .setProducerEpoch(epoch).setGroupId(Fixture.CLASSIC_GROUP));
        return Errors.forCode(response.errorCode());
    }
}
