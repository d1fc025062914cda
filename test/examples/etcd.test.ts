// The etcd operator example's own tests, run in tsop's suite against tsop's sources (the vitest
// alias maps tsop/* to src/): the membership plan (pure), the etcd client against real etcd
// processes on loopback, and the operator end to end on a real kube-apiserver with every member
// pod run as a real etcd process. See examples/etcd-operator/README.md.
import "../../examples/etcd-operator/test/plan.test.js";
import "../../examples/etcd-operator/test/etcd-client.test.js";
import "../../examples/etcd-operator/test/etcdcluster.controller.test.js";
