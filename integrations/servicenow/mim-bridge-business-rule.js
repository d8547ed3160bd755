/*
 * mim-bridge: send each incident change to mim-bridge, signed.
 * Set-up, testing and troubleshooting: docs/setup-servicenow.md in the mim-bridge repository.
 *
 * Business rule on table `incident` (global scope):
 *   When = after · Insert = true · Update = true · Order = 1000 · Advanced = true
 *   Condition: current.sys_updated_by != gs.getProperty('x_mim.integration_user', '')
 *   Script: this whole file. Which updates are sent is SENT_ON below, kept in the script so that
 *   the list is in one file, tested with it, and the Condition stays one short line.
 *
 * System properties (sys_properties):
 *   x_mim.webhook_url       https://<mim-bridge host>/webhooks/servicenow
 *   x_mim.webhook_secret    type password2; the same value as SERVICENOW_WEBHOOK_SECRET on mim-bridge
 *                           (ASCII, no comma). Instances with the Key Management Framework can
 *                           keep it in a KMF module instead: change readSecret() below to read it
 *                           from there; the rest of the script stays as it is.
 *   x_mim.integration_user  user name mim-bridge writes as (its SERVICENOW_USERNAME)
 *   x_mim.services          optional: comma-separated names of the business services and CIs in
 *                           mim-bridge's catalogue (config/services.yaml), as displayed; when set,
 *                           only incidents whose business service or CI is one of them are sent.
 *
 * Body: {"event": "insert|update|comment|work_note", "changed": [...], "record": {...}}, the record
 * in Table API shape (every value a string, reference fields as {value, display_value}).
 * Header: X-MIM-Signature: sha256=<base64 HMAC-SHA256 of the exact body bytes>.
 * mim-bridge dedupes on sys_id + sys_mod_count, so a repeated send is harmless.
 *
 * Sent: every insert, and an update that changes priority, state, assignment_group,
 * major_incident_state, business_service or cmdb_ci (how mim-bridge finds the service), or adds
 * a work note or comment. Other updates (a description edit, a watch list) send nothing.
 * One request per sent change, with executeAsync: saving an incident never waits for mim-bridge.
 *
 * executeAsync does not retry a failed delivery (503 while mim-bridge's Redis is down, a network
 * error). Failed requests show in System Logs > Outbound HTTP Requests.
 */
(function executeRule(current, previous /* null when async */) {
  var PLAIN = ['sys_id', 'number', 'short_description', 'description', 'state', 'impact', 'urgency',
    'priority', 'major_incident_state', 'correlation_id', 'close_code', 'close_notes',
    'sys_updated_on', 'sys_updated_by', 'sys_mod_count'];
  var REFERENCES = ['business_service', 'cmdb_ci', 'assignment_group', 'assigned_to', 'caller_id',
    'parent_incident'];
  // Change on every update, so they say nothing about what the user changed.
  var SYSTEM = { sys_updated_on: true, sys_updated_by: true, sys_mod_count: true };
  // An update is sent only when one of these changed (the journals: an entry was added).
  var SENT_ON = ['priority', 'state', 'assignment_group', 'major_incident_state', 'business_service', 'cmdb_ci',
    'work_notes', 'comments'];

  function readSecret() {
    return str(gs.getProperty('x_mim.webhook_secret', ''));
  }

  // Glide getters may hand back Java strings or null; JSON.stringify needs plain JS strings.
  function str(value) {
    return value === null || value === undefined ? '' : '' + value;
  }

  function fieldChanged(name) {
    var element = current[name];
    return !!(element && element.changes && element.changes());
  }

  // getJournalEntry(1) starts with a header line "<date time> - <user> (<field label>)":
  // send only the text the person wrote.
  function newestJournalText(element) {
    return str(element.getJournalEntry(1)).replace(/^[^\n]* - [^\n]* \([^\n)]*\)\r?\n/, '').replace(/\s+$/, '');
  }

  // Non-ASCII characters as \uXXXX escapes: the body is then pure ASCII, so the bytes that
  // generateMac signs and the bytes RESTMessageV2 sends are the same whatever charset each uses.
  function asciiJson(value) {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, function (c) {
      return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  // mim-bridge recognises its own writes too (by SERVICENOW_USERNAME); not sending them saves a round trip.
  var integrationUser = str(gs.getProperty('x_mim.integration_user', '')).replace(/^\s+|\s+$/g, '');
  if (integrationUser && str(current.getValue('sys_updated_by')) === integrationUser) return;

  var inserted = str(current.operation()) === 'insert';
  var relevant = inserted;
  for (var k = 0; k < SENT_ON.length && !relevant; k++) relevant = fieldChanged(SENT_ON[k]);
  if (!relevant) return;

  // Names compared trimmed and case-insensitively, as mim-bridge matches services.yaml.
  var catalogue = str(gs.getProperty('x_mim.services', '')).toLowerCase().split(',');
  var services = {};
  var listed = false;
  for (var c = 0; c < catalogue.length; c++) {
    var entry = catalogue[c].replace(/^\s+|\s+$/g, '');
    if (entry) {
      services[entry] = true;
      listed = true;
    }
  }
  if (listed && !services[str(current.getDisplayValue('business_service')).toLowerCase()] &&
    !services[str(current.getDisplayValue('cmdb_ci')).toLowerCase()]) return;

  var url = str(gs.getProperty('x_mim.webhook_url', ''));
  var secret = readSecret();
  if (!url || !secret) {
    gs.warn('mim-bridge: x_mim.webhook_url or x_mim.webhook_secret is not set; incident ' +
      str(current.getValue('number')) + ' not sent');
    return;
  }

  var record = {};
  var changed = [];
  var meaningful = 0;
  var i, name;
  for (i = 0; i < PLAIN.length; i++) {
    name = PLAIN[i];
    record[name] = str(current.getValue(name));
    if (fieldChanged(name)) {
      changed.push(name);
      if (!SYSTEM[name]) meaningful++;
    }
  }
  for (i = 0; i < REFERENCES.length; i++) {
    name = REFERENCES[i];
    record[name] = { value: str(current.getValue(name)), display_value: str(current.getDisplayValue(name)) };
    if (fieldChanged(name)) {
      changed.push(name);
      meaningful++;
    }
  }

  // Journal fields read back as the whole history: send only the entry this update added.
  var commented = fieldChanged('comments');
  var noted = fieldChanged('work_notes');
  if (commented) {
    record.comments = newestJournalText(current.comments);
    changed.push('comments');
  }
  if (noted) {
    record.work_notes = newestJournalText(current.work_notes);
    changed.push('work_notes');
  }

  var event = 'update';
  if (inserted) event = 'insert';
  else if (meaningful === 0 && commented && !noted) event = 'comment';
  else if (meaningful === 0 && noted && !commented) event = 'work_note';

  var body = asciiJson({ event: event, changed: changed, record: record });
  // generateMac takes the key base64-encoded and returns the MAC base64-encoded.
  var mac = new GlideCertificateEncryption().generateMac(GlideStringUtil.base64Encode(secret), 'HmacSHA256', body);

  try {
    var request = new sn_ws.RESTMessageV2();
    request.setEndpoint(url);
    request.setHttpMethod('post');
    request.setRequestHeader('Content-Type', 'application/json');
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('X-MIM-Signature', 'sha256=' + str(mac));
    request.setRequestBody(body);
    request.setHttpTimeout(10000);
    request.executeAsync();
  } catch (e) {
    gs.error('mim-bridge: could not send incident ' + str(current.getValue('number')) + ': ' + e);
  }
})(current, previous);
