def test_probe(project):
    r = project.preview(policy_packs=["/tmp/probe/policy/pulumi-analyzer-policy-aep"])
    print(r.stdout)
    r = project.up(policy_packs=["/tmp/probe/policy/pulumi-analyzer-policy-aep"])
    print(r.stdout)
