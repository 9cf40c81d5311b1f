package io.runnel.it.transactions;

import static io.runnel.it.Futures.get;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Whether an application's transaction is open, as its coordinator tells Admin. Once the application is killed, an
 * Ongoing transaction stays so until a new producer with its id aborts it (or it times out), which shows that the
 * kill fell between a write of the transaction and its commit.
 */
public final class OngoingTransactions {
    private OngoingTransactions() {
    }

    /**
     * Whether a transactional id starting with {@code prefix} has an Ongoing transaction that began at or after
     * {@code sinceMs} (wall-clock time): one of an application started then, not one its killed predecessor left.
     */
    public static boolean any(Admin admin, String prefix, long sinceMs) {
        Collection<TransactionListing> ongoing = get(admin.listTransactions(new ListTransactionsOptions()
                .filterStates(List.of(TransactionState.ONGOING))).all());
        List<String> ids = ongoing.stream().map(TransactionListing::transactionalId).filter(id -> id.startsWith(prefix))
                .toList();
        if (ids.isEmpty()) {
            return false;
        }
        Collection<TransactionDescription> described = get(admin.describeTransactions(ids).all()).values();
        return described.stream().anyMatch(d -> d.state() == TransactionState.ONGOING
                && d.transactionStartTimeMs().orElse(0) >= sinceMs);
    }
}
