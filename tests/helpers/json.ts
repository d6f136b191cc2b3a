/**
 * A parsed JSON answer or YAML document that a test or benchmark reads field by field (`body.live.status`,
 * `pod.containers[0].env`): the assertions on it (expect) are the check, so it is not typed member by member.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read ad hoc; types would repeat the API's schemas
export type Json = any;
