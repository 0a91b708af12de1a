/** Entry of the headless CLI `playbook-sync`. */
process.stdout.write('playbook-sync: no commands yet\n')
