/** `localvpc managed-eni create`: a requester-managed ENI, as RDS, EKS, WorkSpaces or AppStream would create one. */
import type { Command } from "commander";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

export const registerManagedEniCommand = (program: Command): void => {
  const managedEni = program.command("managed-eni").description("Requester-managed ENIs (what RDS, EKS, WorkSpaces, AppStream create)");
  withAdminOptions(
    managedEni
      .command("create")
      .description("Create a requester-managed ENI in a subnet of a running localvpc")
      .requiredOption("--subnet <id>", "subnet to create it in")
      .requiredOption("--service <name>", "rds | eks | workspaces | appstream")
      .option("--requester <id>", "requester account id or alias (default: the service's)"),
  ).action(async (o: AdminCliOptions & { subnet: string; service: string; requester?: string }) => {
    const answer = await callAdmin<Record<string, string>>(o, "POST", "managed-eni", {
      subnetId: o.subnet,
      service: o.service,
      requester: o.requester,
    });
    printAnswer(
      o,
      answer,
      (a) =>
        `Created ${a["NetworkInterfaceId"]} (${a["PrivateIpAddress"]}) in ${a["SubnetId"]}, requester ${a["RequesterId"]}, attachment ${a["AttachmentId"]}`,
    );
  });
};
