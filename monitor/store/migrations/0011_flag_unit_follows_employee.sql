-- 0011_flag_unit_follows_employee: one rule for which unit a flag belongs to (issue 15, item 11).
-- A flag about a registered employee's post or interaction belongs to that employee's CURRENT
-- unit, as the posts do; flags with no employee (a public report about an unknown account) keep
-- the unit they were given. Kept in flags.unit_id (indexed, read by every scoped query) and moved
-- by these triggers whenever an employee changes unit or an account changes owner.
UPDATE flags SET unit_id = (
    SELECT e.unit_id FROM posts p JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id
     WHERE p.id = flags.post_id)
 WHERE post_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM posts p JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id
     WHERE p.id = flags.post_id);
UPDATE flags SET unit_id = (
    SELECT e.unit_id FROM interactions i JOIN accounts a ON a.id = i.account_id JOIN employees e ON e.id = a.employee_id
     WHERE i.id = flags.interaction_id)
 WHERE post_id IS NULL AND interaction_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM interactions i JOIN accounts a ON a.id = i.account_id JOIN employees e ON e.id = a.employee_id
     WHERE i.id = flags.interaction_id);
CREATE TRIGGER flags_follow_employee_unit AFTER UPDATE OF unit_id ON employees
WHEN new.unit_id IS NOT old.unit_id
BEGIN
    UPDATE flags SET unit_id = new.unit_id
     WHERE post_id IN (SELECT p.id FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.employee_id = new.id)
        OR interaction_id IN (SELECT i.id FROM interactions i JOIN accounts a ON a.id = i.account_id
                               WHERE a.employee_id = new.id);
END;
CREATE TRIGGER flags_follow_account_owner AFTER UPDATE OF employee_id ON accounts
WHEN new.employee_id IS NOT old.employee_id AND new.employee_id IS NOT NULL
BEGIN
    UPDATE flags SET unit_id = (SELECT unit_id FROM employees WHERE id = new.employee_id)
     WHERE post_id IN (SELECT id FROM posts WHERE account_id = new.id)
        OR interaction_id IN (SELECT id FROM interactions WHERE account_id = new.id);
END;
