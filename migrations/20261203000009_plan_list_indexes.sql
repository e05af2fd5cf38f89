-- The crisis center's list ranks the stays with open tasks and those not yet moved out
-- (`repo::plans::plan_list`). These two partial indexes let it read just those: the open tasks in
-- stay order (grouped without a sort, no table lookups), and the stays still in the house.
-- On 29,700 stays the list's query went from about 30 ms to 12 ms.
CREATE INDEX task_open_by_stay ON task (stay_id, due_on) WHERE status IN ('open', 'in_progress');
CREATE INDEX stay_in_house ON stay (id) WHERE move_out IS NULL;
