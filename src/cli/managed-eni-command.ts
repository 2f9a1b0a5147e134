/** `localvpc managed-eni create`: a requester-managed ENI, as RDS, EKS, WorkSpaces or AppStream would create one. */
import type { Command } from "commander";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

export const registerManagedEniCommand = (program: Command): void => {
  const managedEni = program
    .command("managed-eni")
    .description("Requester-managed ENIs (what RDS, EKS, WorkSpaces, AppStream, Lambda, ELB create)");
  withAdminOptions(
    managedEni
      .command("create")
      .description("Create a requester-managed ENI in a subnet of a running localvpc")
      .requiredOption("--subnet <id>", "subnet to create it in")
      .requiredOption("--service <name>", "rds | eks | lambda | elb | workspaces | appstream")
      .option("--requester <id>", "requester account id or alias (default: the service's)")
      .option("--cluster <name>", "the name in the description: the EKS cluster (Amazon EKS <name>), Lambda function or load balancer"),
  ).action(async (o: AdminCliOptions & { subnet: string; service: string; requester?: string; cluster?: string }) => {
    const answer = await callAdmin<Record<string, string>>(o, "POST", "managed-eni", {
      subnetId: o.subnet,
      service: o.service,
      requester: o.requester,
      cluster: o.cluster,
    });
    printAnswer(
      o,
      answer,
      (a) =>
        `Created ${a["NetworkInterfaceId"]} (${a["PrivateIpAddress"]}) in ${a["SubnetId"]}, requester ${a["RequesterId"]}, attachment ${a["AttachmentId"]}`,
    );
  });
};
