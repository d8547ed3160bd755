/*
 * mim-bridge: send incident changes to mim-bridge, signed.
 *
 * Business rule on table `incident`:  When = after, Insert = true, Update = true, Order = 1000,
 * Advanced = true, Condition: (leave empty; the script filters). Paste this whole script.
 *
 * System properties (sys_properties):
 *   x_mim.webhook_url       https://mim-bridge.example.edu/webhooks/servicenow
 *   x_mim.webhook_secret    the same value as SERVICENOW_WEBHOOK_SECRET on mim-bridge
 *                           (type password2; on newer instances prefer the Key Management
 *                           Framework and read the key from there instead)
 *   x_mim.integration_user  the user mim-bridge writes as (SERVICENOW_USERNAME), e.g. mim.integration
 *
 * The body is the record in Table API shape (every value a string, references as
 * {value, display_value}), wrapped as {event, changed, record}. The signature is
 * HMAC-SHA256 of the exact body bytes, base64, in `X-MIM-Signature: sha256=<base64>`.
 * A REST message from a business rule may not be retried by the instance: mim-bridge's
 * reconciliation sweep (by sys_updated_on) is the backstop for a lost delivery.
 */
(function executeRule(current, previous /* null when async */) {
  var integrationUser = gs.getProperty('x_mim.integration_user', '');
  // Our own writes coming back: mim-bridge also recognises them, but not sending them saves a round trip.
  if (integrationUser && current.getValue('sys_updated_by') === integrationUser) return;

  var url = gs.getProperty('x_mim.webhook_url', '');
  var secret = gs.getProperty('x_mim.webhook_secret', '');
  if (!url || !secret) {
    gs.warn('mim-bridge: x_mim.webhook_url or x_mim.webhook_secret is not set; incident ' + current.getValue('number') + ' not sent');
    return;
  }

  var PLAIN = ['sys_id', 'number', 'short_description', 'description', 'state', 'impact', 'urgency', 'priority',
    'major_incident_state', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count', 'correlation_id',
    'close_code', 'close_notes'];
  var REFERENCES = ['business_service', 'cmdb_ci', 'assignment_group', 'assigned_to', 'caller_id', 'parent_incident'];

  var record = {};
  var changed = [];
  var i;
  for (i = 0; i < PLAIN.length; i++) {
    record[PLAIN[i]] = current.getValue(PLAIN[i]) || '';
    if (current[PLAIN[i]] && current[PLAIN[i]].changes()) changed.push(PLAIN[i]);
  }
  for (i = 0; i < REFERENCES.length; i++) {
    var name = REFERENCES[i];
    record[name] = { value: current.getValue(name) || '', display_value: current.getDisplayValue(name) || '' };
    if (current[name].changes()) changed.push(name);
  }

  // Journal fields read back concatenated: send only the entry this update added.
  var commented = current.comments.changes();
  var noted = current.work_notes.changes();
  if (commented) { record.comments = current.comments.getJournalEntry(1); changed.push('comments'); }
  if (noted) { record.work_notes = current.work_notes.getJournalEntry(1); changed.push('work_notes'); }

  var event = current.operation() === 'insert' ? 'insert'
    : (commented && changed.length === 1) ? 'comment'
    : (noted && changed.length === 1) ? 'work_note'
    : 'update';

  var body = JSON.stringify({ event: event, changed: changed, record: record });
  // GlideCertificateEncryption.generateMac takes a base64 key and returns a base64 MAC.
  var mac = new GlideCertificateEncryption().generateMac(GlideStringUtil.base64Encode(secret), 'HmacSHA256', body);

  try {
    var request = new sn_ws.RESTMessageV2();
    request.setEndpoint(url);
    request.setHttpMethod('post');
    request.setRequestHeader('Content-Type', 'application/json');
    request.setRequestHeader('X-MIM-Signature', 'sha256=' + mac);
    request.setRequestBody(body);
    request.setHttpTimeout(10000);
    request.executeAsync();
  } catch (e) {
    gs.error('mim-bridge: could not send incident ' + current.getValue('number') + ': ' + e);
  }
})(current, previous);
