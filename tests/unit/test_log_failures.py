"""The node harnesses' log check: node failures count, a peer connection CometBFT recovered does not."""

from tests.support.procs import is_failure


def test_app_hash_mismatches_consensus_failures_and_node_panics_are_failures():
    assert is_failure("E[2026] Error in validation module=consensus err=\"wrong Block.Header.AppHash\"")
    assert is_failure("panic: state.AppHash does not match AppHash after replay")
    assert is_failure("E[2026] CONSENSUS FAILURE!!! module=consensus err=\"boom\"")


def test_a_recovered_panic_inside_one_peer_connection_is_not_a_node_failure():
    line = ('E[2026] MConnection panicked module=p2p peer=ab@127.0.0.1:1 err="rejected msg on chID 0x40: '
            'unsolicited BlockResponse from peer ab"')
    assert not is_failure(line)
    assert not is_failure('E[2026] Stopping peer for error module=p2p err="recovered from panic: unsolicited"')
